// 派单: one-click, designated or negotiated dispatch.

import { useCallback, useMemo, useState, type FormEvent } from 'react';
import type { GridInfo, UnitInfo } from '../../../shared/api/types';
import type { ReviewDetail } from '../../../shared/api/coordination';
import { DISPATCH_MODE_LABELS, type DispatchMode } from '../../../shared/domain/ticket';
import { call } from '../../api/client';
import { useReadySession } from '../../state/session';
import { Field, FormError } from '../Form';
import { groupUnits, UnitSelect } from '../Pickers';
import { UnitSuggestions } from '../UnitSuggestions';
import { NO_ERRORS } from '../../lib/validation';
import { useLiveQuery } from '../../lib/liveQuery';
import { Buttons, Choice, type FormProps, opt, submitOnCtrlEnter } from './parts';

/** The ticket's open joint review (三跨会商), if it has one. */
function useOpenReview(ticketId: string, crossBoundary: boolean): ReviewDetail | null {
  // Only a 三跨 ticket can have one; a refusal shows none.
  const { data: review } = useLiveQuery(
    useCallback(async () => {
      if (!crossBoundary) return null;
      const list = await call('reviews.list', { ticketId, status: 'open' });
      return list[0] ? call('reviews.get', { id: list[0].id }) : null;
    }, [ticketId, crossBoundary]),
    null,
  );
  return review ?? null;
}

export function DispatchForm({ detail, submit, busy, errors, setErrors, onCancel }: FormProps) {
  const { lookups } = useReadySession();
  const t = detail.ticket;
  const cat = t.categoryId ? lookups.catalog.get(t.categoryId) : undefined;
  const community = cat?.routeToCommunity ? communityUnit(lookups, detail.ticket.gridId) : undefined;
  const defaultUnit = community ?? (cat?.defaultUnitId ? lookups.units.get(cat.defaultUnitId) : undefined);
  const [mode, setMode] = useState<DispatchMode>(defaultUnit ? 'oneClick' : 'designated');
  const [unitId, setUnitId] = useState<string | undefined>(undefined);
  const [candidates, setCandidates] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const groups = useMemo(() => groupUnits(lookups.units), [lookups.units]);
  const review = useOpenReview(t.id, t.isCrossBoundary);
  // 商定派 on a 三跨 ticket: the units of its open joint review (those that did not decline) are the candidates.
  const candidatesFromReview = () => {
    if (!review) return;
    setMode('negotiated');
    setCandidates(review.unitList.filter((u) => u.position !== 'decline').map((u) => u.unitId).slice(0, 10));
    if (!note) setNote(`三跨会商：${review.question}`);
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (mode === 'oneClick' && !defaultUnit) {
      setErrors({ ...NO_ERRORS, message: '该分类没有默认处置单位，请使用“指定派”选择单位' });
      return;
    }
    if (mode === 'designated' && !unitId) {
      setErrors({ ...NO_ERRORS, message: '请选择处置单位', fields: { unitId: '请选择处置单位' } });
      return;
    }
    if (mode === 'negotiated' && candidates.length < 2) {
      setErrors({ ...NO_ERRORS, message: '商定派请至少选择2个候选单位', fields: { candidateUnitIds: '请至少选择2个单位' } });
      return;
    }
    void submit(
      {
        action: 'dispatch',
        id: t.id,
        mode,
        unitId: mode === 'designated' ? unitId : mode === 'oneClick' ? defaultUnit?.id : undefined,
        candidateUnitIds: mode === 'negotiated' ? candidates : undefined,
        note: opt(note),
      },
      { shown: ['unitId', 'candidateUnitIds', 'note'] },
    );
  };

  return (
    <form onSubmit={onSubmit}>
      <div className="form-note">
        分类：{cat?.path ?? <span className="warn">未分类</span>}
      </div>
      <Field label="派单方式" required wide>
        <Choice<DispatchMode>
          name="mode"
          value={mode}
          onChange={setMode}
          options={(['oneClick', 'designated', 'negotiated'] as const).map((m) => ({ value: m, label: DISPATCH_MODE_LABELS[m] }))}
        />
      </Field>
      {mode === 'oneClick' &&
        (defaultUnit ? (
          <div className="callout" data-testid="oneclick-unit">
            将派给 <strong>{defaultUnit.name}</strong>
            {community ? '（工单所在社区的居委会）' : `（分类“${cat?.name}”的默认处置单位）`}
          </div>
        ) : (
          <div className="callout warn">该分类没有默认处置单位，请使用“指定派”。</div>
        ))}
      {review && (
        <div className="callout" data-testid="dispatch-review">
          本工单有进行中的三跨会商（{review.unitList.length}个单位，已表态{review.positionsIn}个）。
          <button type="button" className="link-btn" onClick={candidatesFromReview} data-testid="dispatch-from-review">
            以会商单位为候选进行商定派
          </button>
        </div>
      )}
      <UnitSuggestions ticketId={t.id} categoryId={t.categoryId} onPick={(u) => (setMode('designated'), setUnitId(u))} />
      {mode === 'designated' && (
        <Field label="处置单位" required error={errors.fields.unitId} wide>
          <UnitSelect units={lookups.units} value={unitId} onChange={setUnitId} emptyLabel="请选择处置单位" testId="input-unit" />
        </Field>
      )}
      {mode === 'negotiated' && (
        <Field label={`候选单位（已选${candidates.length}个，最多10个）`} required error={errors.fields.candidateUnitIds} wide>
          <div className="unit-checks" data-testid="input-candidates">
            {groups.map((g) => (
              <div key={g.kind} className="unit-group">
                <div className="unit-group-label">{g.label}</div>
                {g.units.map((u) => (
                  <label key={u.id} className="check" title={u.name}>
                    <input
                      type="checkbox"
                      checked={candidates.includes(u.id)}
                      disabled={!candidates.includes(u.id) && candidates.length >= 10}
                      onChange={(e) => setCandidates((c) => (e.target.checked ? [...c, u.id] : c.filter((x) => x !== u.id)))}
                    />
                    <span className="ellipsis">{u.name}</span>
                  </label>
                ))}
              </div>
            ))}
          </div>
        </Field>
      )}
      <Field label="派单说明" error={errors.fields.note} wide>
        <textarea rows={2} value={note} onChange={(e) => setNote(e.target.value)} onKeyDown={submitOnCtrlEnter} placeholder="选填，给处置单位的说明" data-testid="input-note" />
      </Field>
      <FormError state={errors} shown={['unitId', 'candidateUnitIds', 'note']} />
      <Buttons busy={busy} onCancel={onCancel} label={`${DISPATCH_MODE_LABELS[mode]}`} disabled={mode === 'oneClick' && !defaultUnit} />
    </form>
  );
}

/** The committee of the community containing a grid, as one-click dispatch will choose it. */
function communityUnit(lookups: { grids: Map<string, GridInfo>; units: Map<string, UnitInfo> }, gridId: string | null): UnitInfo | undefined {
  let g = gridId ? lookups.grids.get(gridId) : undefined;
  for (let depth = 0; g && g.level !== '2' && depth < 6; depth++) g = g.parentId ? lookups.grids.get(g.parentId) : undefined;
  if (!g) return undefined;
  for (const u of lookups.units.values()) if (u.gridId === g.id) return u;
  return undefined;
}
