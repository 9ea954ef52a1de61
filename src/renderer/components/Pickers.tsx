// Selects over the street's reference data: catalog (searchable), grids (tree), units (by kind),
// and a status multi-select.

import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useDismiss } from '../lib/dismiss';
import type { CatalogItem, GridInfo, UnitInfo } from '../../shared/api/types';
import { STATUS_LABELS, TICKET_STATUSES, type TicketStatus } from '../../shared/domain/ticket';

// ---------------------------------------------------------------------------------------------
// One search-as-you-type combobox (↑/↓/Enter/Escape, a clear button, at most 200 options shown)
// behind the catalog and grid pickers; each says how to search, label and draw its items.

interface ComboProps<T extends { id: string }> {
  value: string | undefined;
  selected: T | undefined;
  onChange: (id: string | undefined) => void;
  /** The items matching what was typed (the picker's own search rule). */
  search: (text: string) => T[];
  /** The text shown in the input for a chosen item. */
  label: (item: T) => string;
  /** The input's tooltip for the chosen item. */
  title?: (item: T) => string;
  option: (item: T) => ReactNode;
  placeholder: string;
  clearLabel: string;
  emptyText: string;
  testId?: string;
  /** Whether the chosen id is also on the input as data-value. */
  exposeValue?: boolean;
  /** Whether the list carries `${testId}-list`. */
  listTestId?: boolean;
  invalid?: boolean;
  id?: string;
}

function Combobox<T extends { id: string }>({ value, selected, onChange, search, label, title, option, placeholder, clearLabel, emptyText, testId, exposeValue, listTestId, invalid, id }: ComboProps<T>) {
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const wrap = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLUListElement>(null);

  const matches = useMemo(() => search(text).slice(0, 200), [search, text]);

  const closePopup = useCallback(() => setOpen(false), []);
  useDismiss(open, wrap, closePopup);

  useEffect(() => {
    list.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const choose = (item: T | undefined) => {
    onChange(item?.id);
    setText('');
    setOpen(false);
  };

  return (
    <div className={`combo${invalid ? ' invalid' : ''}`} ref={wrap}>
      <input
        id={id}
        data-testid={testId}
        data-value={exposeValue ? (value ?? '') : undefined}
        type="text"
        role="combobox"
        aria-expanded={open}
        autoComplete="off"
        placeholder={selected ? label(selected) : placeholder}
        value={open ? text : selected ? label(selected) : ''}
        title={selected && title ? title(selected) : undefined}
        onFocus={() => {
          setOpen(true);
          setActive(0);
        }}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setOpen(true);
            setActive((a) => Math.min(a + 1, matches.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === 'Enter' && open) {
            e.preventDefault();
            const item = matches[active];
            if (item) choose(item);
          } else if (e.key === 'Escape' && open) {
            e.stopPropagation();
            e.nativeEvent.stopImmediatePropagation();
            setOpen(false);
            setText('');
          }
        }}
      />
      {selected && !open && (
        <button type="button" className="combo-clear" aria-label={clearLabel} title="清除" onClick={() => choose(undefined)}>
          ×
        </button>
      )}
      {open && (
        <ul className="combo-list" role="listbox" ref={list} data-testid={listTestId && testId ? `${testId}-list` : undefined}>
          {matches.length === 0 && <li className="combo-empty">{emptyText}</li>}
          {matches.map((item, i) => (
            <li
              key={item.id}
              role="option"
              aria-selected={item.id === value}
              data-index={i}
              className={`${i === active ? 'active' : ''}${item.id === value ? ' selected' : ''}`}
              onMouseEnter={() => setActive(i)}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(item);
              }}
            >
              {option(item)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Catalog: a combobox that searches the leaves by path, code or name.

const categoryPath = (c: CatalogItem) => c.path;

export function CategoryPicker({
  items,
  value,
  onChange,
  placeholder = '搜索或选择分类…',
  testId,
  invalid,
  id,
}: {
  items: CatalogItem[];
  value: string | undefined;
  onChange: (id: string | undefined) => void;
  placeholder?: string;
  testId?: string;
  invalid?: boolean;
  id?: string;
}) {
  const selected = useMemo(() => items.find((c) => c.id === value), [items, value]);
  const search = useCallback(
    (text: string) => {
      const q = text.trim().toLowerCase();
      return q ? items.filter((c) => c.path.toLowerCase().includes(q) || c.code.toLowerCase().includes(q)) : items;
    },
    [items],
  );
  return (
    <Combobox
      value={value}
      selected={selected}
      onChange={onChange}
      search={search}
      label={categoryPath}
      title={categoryPath}
      option={(c) => (
        <>
          <span className="combo-path">
            {c.path}
            {!c.isLeaf && <span className="combo-group">（含全部小类）</span>}
          </span>
          <span className="combo-code">{c.code}</span>
        </>
      )}
      placeholder={placeholder}
      clearLabel="清除分类"
      emptyText="没有匹配的分类"
      testId={testId}
      invalid={invalid}
      id={id}
    />
  );
}

// ---------------------------------------------------------------------------------------------
// Grids: depth-first tree, indented.

export function gridOptions(grids: Map<string, GridInfo>): Array<{ grid: GridInfo; depth: number }> {
  const children = new Map<string | null, GridInfo[]>();
  for (const g of grids.values()) {
    const parent = g.parentId && grids.has(g.parentId) ? g.parentId : null;
    const arr = children.get(parent) ?? [];
    arr.push(g);
    children.set(parent, arr);
  }
  for (const arr of children.values()) arr.sort((a, b) => a.code.localeCompare(b.code));
  const out: Array<{ grid: GridInfo; depth: number }> = [];
  const walk = (parent: string | null, depth: number) => {
    for (const g of children.get(parent) ?? []) {
      out.push({ grid: g, depth });
      walk(g.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

const GRID_LEVEL_LABELS: Record<string, string> = { '1': '街道', '2': '社区', '3': '网格', micro: '微网格', special: '专属网格' };
/** A grid's name, with its level unless it is an ordinary 网格. */
const gridName = (g: GridInfo) => `${g.name}${g.level !== '3' ? `（${GRID_LEVEL_LABELS[g.level] ?? g.level}）` : ''}`;

/**
 * The grid as a search-as-you-type combobox (hundreds of grids): matches name or code, shows each
 * grid's community; ↑/↓/Enter/Escape. The chosen grid's id is on the input as data-value.
 */
export function GridPicker({
  grids,
  value,
  onChange,
  emptyLabel,
  testId,
  id,
}: {
  grids: Map<string, GridInfo>;
  value: string | undefined;
  onChange: (id: string | undefined) => void;
  emptyLabel: string;
  testId?: string;
  id?: string;
}) {
  const options = useMemo(() => gridOptions(grids).map(({ grid }) => grid), [grids]);
  const selected = value ? grids.get(value) : undefined;
  const search = useCallback(
    (text: string) => {
      const q = text.normalize('NFKC').trim().toLowerCase();
      return q ? options.filter((g) => g.name.toLowerCase().includes(q) || g.code.toLowerCase().includes(q)) : options;
    },
    [options],
  );
  return (
    <Combobox
      value={value}
      selected={selected}
      onChange={onChange}
      search={search}
      label={gridName}
      title={(g) => `${gridName(g)} ${g.code}`}
      option={(g) => {
        const parent = g.parentId ? grids.get(g.parentId) : undefined;
        return (
          <>
            <span className="combo-path">
              {gridName(g)}
              {parent && parent.level !== '1' && <span className="combo-group">　{parent.name}</span>}
            </span>
            <span className="combo-code">{g.code}</span>
          </>
        );
      }}
      placeholder={emptyLabel}
      clearLabel="清除网格"
      emptyText="没有匹配的网格"
      testId={testId}
      exposeValue
      listTestId
      id={id}
    />
  );
}

// ---------------------------------------------------------------------------------------------
// Units, grouped by kind.

const UNIT_KIND_LABELS: Record<UnitInfo['kind'], string> = {
  street: '街道',
  department: '职能部门',
  community: '社区',
  enterprise: '企业',
};
const UNIT_KIND_ORDER: UnitInfo['kind'][] = ['department', 'enterprise', 'community', 'street'];

export function groupUnits(units: Map<string, UnitInfo>): Array<{ kind: UnitInfo['kind']; label: string; units: UnitInfo[] }> {
  return UNIT_KIND_ORDER.map((kind) => ({
    kind,
    label: UNIT_KIND_LABELS[kind],
    units: [...units.values()].filter((u) => u.kind === kind).sort((a, b) => a.code.localeCompare(b.code)),
  })).filter((g) => g.units.length > 0);
}

export function UnitSelect({
  units,
  value,
  onChange,
  emptyLabel,
  testId,
  id,
}: {
  units: Map<string, UnitInfo>;
  value: string | undefined;
  onChange: (id: string | undefined) => void;
  emptyLabel: string;
  testId?: string;
  id?: string;
}) {
  const groups = useMemo(() => groupUnits(units), [units]);
  return (
    <select id={id} data-testid={testId} value={value ?? ''} onChange={(e) => onChange(e.target.value || undefined)}>
      <option value="">{emptyLabel}</option>
      {groups.map((g) => (
        <optgroup key={g.kind} label={g.label}>
          {g.units.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}

// ---------------------------------------------------------------------------------------------
// Status multi-select: a button with a checkbox popover.

export function StatusMultiSelect({
  value,
  onChange,
  testId,
}: {
  value: TicketStatus[];
  onChange: (v: TicketStatus[]) => void;
  testId?: string;
}) {
  const [open, setOpen] = useState(false);
  const wrap = useRef<HTMLDivElement>(null);
  const closePopup = useCallback(() => setOpen(false), []);
  useDismiss(open, wrap, closePopup, { escape: true });

  const label =
    value.length === 0 ? '全部状态' : value.length <= 2 ? value.map((s) => STATUS_LABELS[s]).join('、') : `已选${value.length}个状态`;
  const toggle = (s: TicketStatus) => onChange(value.includes(s) ? value.filter((x) => x !== s) : [...value, s]);

  return (
    <div className="multi" ref={wrap}>
      <button
        type="button"
        className={`select-like${value.length ? ' has-value' : ''}`}
        data-testid={testId}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        {label}
        <span className="caret" aria-hidden>
          ▾
        </span>
      </button>
      {open && (
        <div className="multi-pop" role="listbox" aria-multiselectable>
          {TICKET_STATUSES.map((s) => (
            <label key={s} className="multi-item">
              <input type="checkbox" checked={value.includes(s)} onChange={() => toggle(s)} data-testid={`status-opt-${s}`} />
              <span className={`dot dot-${s}`} />
              {STATUS_LABELS[s]}
            </label>
          ))}
          <div className="multi-foot">
            <button type="button" className="link-btn" onClick={() => onChange([])}>
              清空
            </button>
            <button type="button" className="link-btn" onClick={() => setOpen(false)}>
              完成
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
