// The address field with place proposals as the operator types (places.suggest: the street's
// gazetteer, key places, landmarks, roads, grid names and past ticket addresses with a point).
// Choosing one (mouse, or ↑/↓ and Enter) fills the address and hands the proposal's point and grid
// to the form; Escape closes the list and keeps what was typed.

import { useCallback, useRef, useState } from 'react';
import { call } from '../api/client';
import { useLiveQuery } from '../lib/liveQuery';
import { useDismiss } from '../lib/dismiss';
import { PLACE_KIND_LABELS, PLACE_QUERY_MAX, type PlaceProposal } from '../../shared/api/places';

const DEBOUNCE_MS = 250;

export function AddressInput({
  value,
  onChange,
  onPick,
  placeholder,
  testId,
}: {
  value: string;
  onChange: (text: string) => void;
  onPick: (p: PlaceProposal) => void;
  placeholder?: string;
  testId?: string;
}) {
  // Proposals follow what was typed since the last choice; none while the list is closed.
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const wrap = useRef<HTMLDivElement>(null);
  const q = value.normalize('NFKC').trim();
  const ask = open && Array.from(q).length >= 2 && Array.from(q).length <= PLACE_QUERY_MAX;
  const found = useLiveQuery(
    useCallback(() => (ask ? call('places.suggest', { text: q }) : Promise.resolve([] as PlaceProposal[])), [ask, q]),
    null,
    { delayMs: ask ? DEBOUNCE_MS : 0 },
  );
  const list = ask ? (found.data ?? []) : [];
  const show = open && ask && (list.length > 0 || !!found.error);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(show, wrap, close);

  const choose = (p: PlaceProposal | undefined) => {
    if (!p) return;
    setOpen(false);
    onPick(p);
  };

  return (
    <div className="combo" ref={wrap}>
      <input
        data-testid={testId}
        type="text"
        role="combobox"
        aria-expanded={show}
        aria-autocomplete="list"
        autoComplete="off"
        maxLength={300}
        value={value}
        placeholder={placeholder}
        onChange={(e) => {
          onChange(e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (!show) return;
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive((a) => Math.min(a + 1, list.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            choose(list[Math.min(active, list.length - 1)]);
          } else if (e.key === 'Escape') {
            e.stopPropagation();
            e.nativeEvent.stopImmediatePropagation();
            setOpen(false);
          }
        }}
        onBlur={close}
      />
      {show && (
        <ul className="combo-list place-list" role="listbox" data-testid={testId ? `${testId}-places` : undefined}>
          {found.error && <li className="combo-empty">{found.error}</li>}
          {list.map((p, i) => (
            <li
              key={`${p.kind}:${p.label}:${p.address}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : ''}
              onMouseEnter={() => setActive(i)}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(p);
              }}
            >
              <span className="combo-path">
                {p.label}
                {p.address !== p.label && <span className="combo-group">　{p.address}</span>}
              </span>
              <span className="combo-code">
                {PLACE_KIND_LABELS[p.kind]}
                {p.gridName ? ` · ${p.gridName}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
