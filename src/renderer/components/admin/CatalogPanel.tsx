// 设置 › 派单目录设置 (leader, administrator): per leaf category, the street's own default unit,
// one-click dispatch to the ticket's community, whether it is offered, and its supervision
// thresholds; the deadlines too while the catalog is the street's own (read-only once the city has
// published it). A save refreshes the session's lookups at once, so the new-ticket form and the
// dispatch form suggest the new default unit without waiting for the settings.changed event.

import { useCallback, useMemo, useState, type FormEvent } from 'react';
import { catalogLeafSaveInput, type CatalogLeafSaveInput, type CatalogLeafSetting } from '../../../shared/api/catalogSettings';
import { SLA_UNIT_LABELS, type SlaUnit } from '../../../shared/domain/deadline';
import { call } from '../../api/client';
import { useLiveQuery } from '../../lib/liveQuery';
import { useSubmit } from '../../lib/submit';
import { useReadySession } from '../../state/session';
import { useToast } from '../../state/toast';
import { Field, FormError } from '../Form';
import { DataTable } from '../DataTable';
import { NO_ERRORS } from '../../lib/validation';

const EVENTS = { on: ['settings.changed'] as const };

interface FormState {
  id: string;
  path: string;
  defaultUnitId: string;
  routeToCommunity: boolean;
  active: boolean;
  sup: [string, string, string];
  acceptWithinHours: string;
  resolveWithin: string;
  resolveUnit: SlaUnit;
}

const toForm = (l: CatalogLeafSetting): FormState => ({
  id: l.id,
  path: l.path,
  defaultUnitId: l.defaultUnitId ?? '',
  routeToCommunity: l.routeToCommunity,
  active: l.active,
  sup: l.supervisionHours ? [String(l.supervisionHours[0]), String(l.supervisionHours[1]), String(l.supervisionHours[2])] : ['', '', ''],
  acceptWithinHours: String(l.acceptWithinHours),
  resolveWithin: String(l.resolveWithin),
  resolveUnit: l.resolveUnit,
});

const num = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));

function toInput(f: FormState, cityManaged: boolean): CatalogLeafSaveInput {
  const supEmpty = f.sup.every((s) => s.trim() === '');
  return {
    id: f.id,
    defaultUnitId: f.defaultUnitId || null,
    routeToCommunity: f.routeToCommunity,
    active: f.active,
    supervisionHours: supEmpty ? null : [num(f.sup[0]), num(f.sup[1]), num(f.sup[2])],
    ...(cityManaged ? {} : { acceptWithinHours: num(f.acceptWithinHours), resolveWithin: num(f.resolveWithin), resolveUnit: f.resolveUnit }),
  };
}

export function CatalogPanel() {
  const { lookups, refreshBootstrap } = useReadySession();
  const toast = useToast();
  const { data, error, reload } = useLiveQuery(
    useCallback(() => call('catalog.settings', {}), []),
    EVENTS,
  );
  const { submit, busy, errors, setErrors } = useSubmit(catalogLeafSaveInput, 'catalog.saveLeaf');
  const [form, setForm] = useState<FormState | null>(null);
  const [q, setQ] = useState('');
  const units = useMemo(() => [...lookups.units.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.code.localeCompare(b.code)), [lookups.units]);
  const cityManaged = data?.cityManaged ?? false;
  const rows = useMemo(() => {
    const all = data?.leaves ?? [];
    const t = q.trim();
    return t ? all.filter((l) => l.path.includes(t) || l.code.includes(t) || (l.defaultUnitName ?? '').includes(t)) : all;
  }, [data, q]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!form) return;
    const r = await submit(toInput(form, cityManaged));
    if (!r) return;
    toast.success(`已保存：${r.path}`);
    setForm(null);
    // The list here, and the session's catalog (new-ticket form, dispatch), at once.
    await Promise.all([reload(), refreshBootstrap().catch(() => undefined)]);
  };

  const edit = (l: CatalogLeafSetting) => {
    setErrors(NO_ERRORS);
    setForm(toForm(l));
  };

  // An edit clears the last refusal (it was about the values before).
  const update = (patch: Partial<FormState>) => {
    if (!form) return;
    setForm({ ...form, ...patch });
    if (errors.message) setErrors(NO_ERRORS);
  };
  const setSup = (i: 0 | 1 | 2, v: string) => form && update({ sup: form.sup.map((s, j) => (j === i ? v : s)) as FormState['sup'] });
  const f = errors.fields;

  return (
    <section className="card wide-card" data-testid="settings-catalog">
      <div className="card-head">
        <h3>派单目录设置</h3>
        <input className="catalog-filter" value={q} onChange={(e) => setQ(e.target.value)} placeholder="按类别、编码或单位筛选" data-testid="catalog-filter" />
      </div>
      {error && <p className="form-error">{error}</p>}
      {data &&
        (cityManaged ? (
          <p className="callout small" data-testid="catalog-city-managed">
            本街道的派单目录由市城运中心发布（版本 {data.cityVersion}）：签收、办结时限以市级为准，此处只读。默认处置单位、派至社区、启用和督办阈值是本街道的设置，市级再次发布目录时保留。
          </p>
        ) : (
          <p className="muted small">本街道自有目录：各类别的默认处置单位、派至社区、启用、督办阈值和签收、办结时限均可在此修改。接入市级平台并收到市级目录后，时限以市级为准。</p>
        ))}
      {form && (
        <form className="form-grid catalog-form" onSubmit={(e) => void save(e)} data-testid="catalog-form">
          <div className="catalog-form-path">
            编辑 <strong data-testid="catalog-form-path">{form.path}</strong>
          </div>
          <Field label="默认处置单位" error={f.defaultUnitId}>
            <select value={form.defaultUnitId} onChange={(e) => update({ defaultUnitId: e.target.value })} data-testid="catalog-unit">
              <option value="">无（派单时指定）</option>
              {units.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label="督办阈值（超期小时）" error={f.supervisionHours} hint={f.supervisionHours ? undefined : '二级 / 三级 / 四级；留空按运行模式默认'}>
            <span className="sup-inputs">
              {([0, 1, 2] as const).map((i) => (
                <input key={i} type="number" min="0" step="any" value={form.sup[i]} onChange={(e) => setSup(i, e.target.value)} aria-label={`${i + 2}级督办`} data-testid={`catalog-sup-${i}`} />
              ))}
            </span>
          </Field>
          <Field label="签收时限（工作小时）" error={f.acceptWithinHours} hint={cityManaged ? '市级目录规定' : undefined}>
            <input type="number" min="0" step="any" value={form.acceptWithinHours} disabled={cityManaged} onChange={(e) => update({ acceptWithinHours: e.target.value })} data-testid="catalog-accept" />
          </Field>
          <Field label="办结时限" error={f.resolveWithin ?? f.resolveUnit} hint={cityManaged ? '市级目录规定' : undefined}>
            <span className="sup-inputs">
              <input type="number" min="0" step="any" value={form.resolveWithin} disabled={cityManaged} onChange={(e) => update({ resolveWithin: e.target.value })} data-testid="catalog-resolve" />
              <select value={form.resolveUnit} disabled={cityManaged} onChange={(e) => update({ resolveUnit: e.target.value as SlaUnit })} data-testid="catalog-resolve-unit">
                {(Object.keys(SLA_UNIT_LABELS) as SlaUnit[]).map((u) => (
                  <option key={u} value={u}>
                    {SLA_UNIT_LABELS[u]}
                  </option>
                ))}
              </select>
            </span>
          </Field>
          <div className="catalog-form-foot">
            <label className="check">
              <input type="checkbox" checked={form.routeToCommunity} onChange={(e) => update({ routeToCommunity: e.target.checked })} data-testid="catalog-community" />
              一键派单派至诉求所在社区
            </label>
            <label className="check">
              <input type="checkbox" checked={form.active} onChange={(e) => update({ active: e.target.checked })} data-testid="catalog-active" />
              启用（停用后新工单不能选此类别）
            </label>
            <span className="spacer" />
            <button type="button" onClick={() => setForm(null)}>
              取消
            </button>
            <button type="submit" className="primary" disabled={busy} data-testid="catalog-save">
              保存
            </button>
          </div>
          <FormError state={errors} shown={['defaultUnitId', 'supervisionHours', 'acceptWithinHours', 'resolveWithin', 'resolveUnit']} />
        </form>
      )}
      <DataTable
        rows={rows}
        headers={['类别', '默认处置单位', '派至社区', '签收 / 办结时限', '督办阈值', '状态', '']}
        empty={data ? (data.leaves.length ? '没有符合筛选的类别' : '尚无派单目录，请先在“初始化向导”中装入') : '加载中…'}
        className="mini-table catalog-table"
        testId="catalog-table"
      >
        {(l) => (
          <tr key={l.id} className={l.active ? '' : 'muted'} data-testid={`catalog-row-${l.code}`}>
            <td>
              {l.path}
              {l.localFields.length > 0 && <span className="local-badge" title="本街道自行设置，市级目录再次发布时保留">本街道</span>}
            </td>
            <td>{l.defaultUnitName ?? '—'}</td>
            <td>{l.routeToCommunity ? '是' : '—'}</td>
            <td>
              {l.acceptWithinHours} 工作小时 / {l.resolveWithin} {SLA_UNIT_LABELS[l.resolveUnit]}
            </td>
            <td>{l.supervisionHours ? l.supervisionHours.join(' / ') + ' 小时' : '默认'}</td>
            <td>{l.active ? '启用' : '停用'}</td>
            <td className="row-actions">
              <button type="button" className="small-btn" onClick={() => edit(l)} data-testid={`catalog-edit-${l.code}`}>
                编辑
              </button>
            </td>
          </tr>
        )}
      </DataTable>
    </section>
  );
}
