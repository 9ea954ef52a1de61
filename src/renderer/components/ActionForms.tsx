// One form per ticket action. Each builds the `tickets.act` input, checks it with the contract's
// schema, sends it, and hands the returned TicketDetail back; errors stay in the open form.

import { useCallback, useEffect, useMemo, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { ticketActionInput, type TicketActionInput } from '../../shared/api/contract';
import type { GridInfo, TicketDetail, UnitInfo } from '../../shared/api/types';
import type { ReviewDetail } from '../../shared/api/coordination';
import type { PhotoCheck } from '../../shared/api/aiPhoto';
import { ACTION_LABELS, type TicketAction } from '../../shared/domain/stateMachine';
import {
  DISPATCH_MODE_LABELS,
  SATISFACTION_LABELS,
  SATISFACTIONS,
  SUPERVISION_LABELS,
  URGENCIES,
  URGENCY_LABELS,
  type DispatchMode,
  type Satisfaction,
  type SupervisionLevel,
  type Urgency,
} from '../../shared/domain/ticket';
import { call } from '../api/client';
import { formatDateTime, truncate } from '../lib/format';
import { fromError, fromZod, NO_ERRORS, type FormErrorState } from '../lib/validation';
import { useReadySession } from '../state/session';
import { Field, FormError } from './Form';
import { Modal } from './Modal';
import { groupUnits, CategoryPicker, UnitSelect } from './Pickers';
import { PhotoUploader, type UploadedPhoto } from './Photos';
import { PhotoCheckPanel } from './PhotoCheck';
import { StatusPill } from './StatusPill';
import { UnitSuggestions } from './UnitSuggestions';
import { ClassifySuggestions } from './TextSuggestions';
import { ReplySuggestions } from './ReplySuggestions';

type Submit = (input: TicketActionInput, opts?: { shown?: string[] }) => Promise<void>;

interface FormProps {
  detail: TicketDetail;
  submit: Submit;
  busy: boolean;
  errors: FormErrorState;
  setErrors: (e: FormErrorState) => void;
  onCancel: () => void;
}

/** Ctrl/⌘+Enter in a textarea submits its form. */
function submitOnCtrlEnter(e: KeyboardEvent<HTMLTextAreaElement>) {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    e.currentTarget.form?.requestSubmit();
  }
}

function Buttons({ busy, onCancel, label, danger, disabled }: { busy: boolean; onCancel: () => void; label: string; danger?: boolean; disabled?: boolean }) {
  return (
    <div className="form-actions">
      <button type="button" onClick={onCancel} disabled={busy}>
        取消
      </button>
      <button type="submit" className={danger ? 'danger' : 'primary'} data-testid="form-submit" disabled={busy || disabled}>
        {busy ? '提交中…' : label}
      </button>
    </div>
  );
}

function Reason({
  value,
  onChange,
  error,
  label = '理由',
  required = true,
  placeholder,
}: {
  value: string;
  onChange: (v: string) => void;
  error?: string;
  label?: string;
  required?: boolean;
  placeholder?: string;
}) {
  return (
    <Field label={label} required={required} error={error} wide>
      <textarea
        rows={3}
        value={value}
        data-testid="input-reason"
        placeholder={placeholder ?? (required ? '请填写理由（至少2个字）' : '选填')}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={submitOnCtrlEnter}
      />
    </Field>
  );
}

function Choice<T extends string>({
  name,
  options,
  value,
  onChange,
}: {
  name: string;
  options: Array<{ value: T; label: string; tone?: 'good' | 'bad' }>;
  value: T | undefined;
  onChange: (v: T) => void;
}) {
  return (
    <div className="choice" role="radiogroup">
      {options.map((o) => (
        <label key={o.value} className={`choice-item${value === o.value ? ' on' : ''}${o.tone ? ` tone-${o.tone}` : ''}`}>
          <input type="radio" name={name} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} data-testid={`choice-${o.value}`} />
          {o.label}
        </label>
      ))}
    </div>
  );
}

const opt = (s: string) => (s.trim() ? s.trim() : undefined);

// ---------------------------------------------------------------------------------------------

function RegisterForm({ detail, submit, busy, errors, onCancel }: FormProps) {
  const { lookups } = useReadySession();
  const [categoryId, setCategoryId] = useState<string | undefined>(detail.ticket.categoryId ?? undefined);
  return (
    <form onSubmit={(e) => (e.preventDefault(), void submit({ action: 'register', id: detail.ticket.id, categoryId }, { shown: ['categoryId'] }))}>
      <p className="form-note">登记后工单进入受理流程，可在登记时一并确定派单目录分类（也可稍后分类）。</p>
      <Field label="派单目录分类" error={errors.fields.categoryId} wide>
        <CategoryPicker items={lookups.leaves} value={categoryId} onChange={setCategoryId} testId="input-category" />
      </Field>
      <FormError state={errors} shown={['categoryId']} />
      <Buttons busy={busy} onCancel={onCancel} label="登记" />
    </form>
  );
}

function ClassifyForm({ detail, submit, busy, errors, setErrors, onCancel }: FormProps) {
  const { lookups } = useReadySession();
  const t = detail.ticket;
  const [categoryId, setCategoryId] = useState<string | undefined>(t.categoryId ?? undefined);
  const [isMicro, setIsMicro] = useState(t.isMicro);
  const [urgency, setUrgency] = useState<Urgency>(t.urgency);
  const cat = categoryId ? lookups.catalog.get(categoryId) : undefined;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!categoryId) return setErrors({ ...NO_ERRORS, message: '请选择派单目录分类', fields: { categoryId: '请选择分类' } });
        void submit({ action: 'classify', id: t.id, categoryId, isMicro, urgency }, { shown: ['categoryId', 'urgency'] });
      }}
    >
      <Field label="派单目录分类" required error={errors.fields.categoryId} wide>
        <CategoryPicker items={lookups.leaves} value={categoryId} onChange={setCategoryId} testId="input-category" invalid={!!errors.fields.categoryId} />
        <ClassifySuggestions ticketId={t.id} text={t.description} value={categoryId} onPick={setCategoryId} isMicro={isMicro} onMicro={setIsMicro} />
      </Field>
      {cat && (
        <div className="form-note">
          默认处置单位：{cat.defaultUnitId ? lookups.units.get(cat.defaultUnitId)?.name ?? '—' : '无'}；签收时限 {cat.acceptWithinHours} 工作小时
          {cat.isConsultation ? '；咨询类' : ''}
          {cat.isMicro ? '；小微事件' : ''}
        </div>
      )}
      <div className="form-row">
        <Field label="紧急程度" error={errors.fields.urgency}>
          <select value={urgency} onChange={(e) => setUrgency(e.target.value as Urgency)} data-testid="input-urgency">
            {URGENCIES.map((u) => (
              <option key={u} value={u}>
                {URGENCY_LABELS[u]}
              </option>
            ))}
          </select>
        </Field>
        <label className="check">
          <input type="checkbox" checked={isMicro} onChange={(e) => setIsMicro(e.target.checked)} data-testid="input-isMicro" />
          小微事件（网格可自行处置）
        </label>
      </div>
      <FormError state={errors} shown={['categoryId', 'urgency']} />
      <Buttons busy={busy} onCancel={onCancel} label="保存分类" />
    </form>
  );
}

/** The ticket's open joint review (三跨会商), if it has one. */
function useOpenReview(ticketId: string, crossBoundary: boolean): ReviewDetail | null {
  const [review, setReview] = useState<ReviewDetail | null>(null);
  useEffect(() => {
    if (!crossBoundary) return;
    let live = true;
    call('reviews.list', { ticketId, status: 'open' })
      .then((list) => (list[0] ? call('reviews.get', { id: list[0].id }) : null))
      .then((r) => live && setReview(r))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [ticketId, crossBoundary]);
  return review;
}

function DispatchForm({ detail, submit, busy, errors, setErrors, onCancel }: FormProps) {
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

function RespondNegotiationForm({ detail, submit, busy, errors, setErrors, onCancel }: FormProps) {
  const [accepted, setAccepted] = useState<'yes' | 'no' | undefined>(undefined);
  const [reason, setReason] = useState('');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!accepted) return setErrors({ ...NO_ERRORS, message: '请选择同意或拒绝' });
        if (accepted === 'no' && reason.trim().length < 2)
          return setErrors({ ...NO_ERRORS, message: '拒绝须说明理由', fields: { reason: '请填写拒绝理由（至少2个字）' } });
        void submit({ action: 'respondNegotiation', id: detail.ticket.id, accepted: accepted === 'yes', reason: opt(reason) }, { shown: ['reason'] });
      }}
    >
      <p className="form-note">本工单以“商定派”派出，请答复本单位是否承办。任一单位同意即由其承办；全部拒绝则退回街道重新派单。</p>
      <Field label="答复" required wide>
        <Choice
          name="accepted"
          value={accepted}
          onChange={setAccepted}
          options={[
            { value: 'yes', label: '同意承办', tone: 'good' },
            { value: 'no', label: '拒绝', tone: 'bad' },
          ]}
        />
      </Field>
      <Reason value={reason} onChange={setReason} error={errors.fields.reason} required={accepted === 'no'} />
      <FormError state={errors} shown={['reason']} />
      <Buttons busy={busy} onCancel={onCancel} label="提交答复" />
    </form>
  );
}

function AcceptForm({ detail, submit, busy, errors, onCancel }: FormProps) {
  const t = detail.ticket;
  return (
    <form onSubmit={(e) => (e.preventDefault(), void submit({ action: 'accept', id: t.id }))}>
      <p className="form-note">确认签收工单 <strong>{t.code}</strong>？签收后进入处置，请在办结时限内完成。</p>
      {t.acceptDeadline && <p className="form-note">签收时限：{formatDateTime(t.acceptDeadline)}</p>}
      <FormError state={errors} />
      <Buttons busy={busy} onCancel={onCancel} label="确认签收" />
    </form>
  );
}

function ReasonOnlyForm({
  action,
  detail,
  submit,
  busy,
  errors,
  onCancel,
  note,
  danger,
}: FormProps & { action: 'return' | 'reopen' | 'cancel'; note: ReactNode; danger?: boolean }) {
  const [reason, setReason] = useState('');
  return (
    <form onSubmit={(e) => (e.preventDefault(), void submit({ action, id: detail.ticket.id, reason }, { shown: ['reason'] }))}>
      <p className="form-note">{note}</p>
      <Reason value={reason} onChange={setReason} error={errors.fields.reason} />
      <FormError state={errors} shown={['reason']} />
      <Buttons busy={busy} onCancel={onCancel} label={`确认${ACTION_LABELS[action]}`} danger={danger} />
    </form>
  );
}

function RequestExtensionForm({ detail, submit, busy, errors, setErrors, onCancel }: FormProps) {
  const [days, setDays] = useState('1');
  const [reason, setReason] = useState('');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!/^\d+$/.test(days.trim()))
          return setErrors({ ...NO_ERRORS, message: '请填写延期天数', fields: { days: '请填写1–30之间的整数' } });
        void submit({ action: 'requestExtension', id: detail.ticket.id, days: Number(days), reason }, { shown: ['days', 'reason'] });
      }}
    >
      {detail.ticket.resolveDeadline && <p className="form-note">当前办结时限：{formatDateTime(detail.ticket.resolveDeadline)}</p>}
      <Field label="延期（工作日）" required error={errors.fields.days}>
        <input type="number" min={1} max={30} step={1} value={days} onChange={(e) => setDays(e.target.value)} data-testid="input-days" />
      </Field>
      <Reason value={reason} onChange={setReason} error={errors.fields.reason} />
      <FormError state={errors} shown={['days', 'reason']} />
      <Buttons busy={busy} onCancel={onCancel} label="提交申请" />
    </form>
  );
}

function DecideExtensionForm({ detail, submit, busy, errors, setErrors, onCancel }: FormProps) {
  const { lookups } = useReadySession();
  const pending = detail.extensions.find((x) => x.status === 'pending');
  const [approved, setApproved] = useState<'yes' | 'no' | undefined>(undefined);
  const [reason, setReason] = useState('');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!approved) return setErrors({ ...NO_ERRORS, message: '请选择同意或不同意' });
        if (approved === 'no' && reason.trim().length < 2)
          return setErrors({ ...NO_ERRORS, message: '不同意延期须说明理由', fields: { reason: '请填写理由（至少2个字）' } });
        void submit({ action: 'decideExtension', id: detail.ticket.id, approved: approved === 'yes', reason: opt(reason) }, { shown: ['reason'] });
      }}
    >
      {pending ? (
        <div className="callout">
          <div>
            <strong>{lookups.units.get(pending.unitId)?.name ?? pending.unitId}</strong> 申请延期 <strong>{pending.days}</strong> 个工作日
            <span className="muted">（{formatDateTime(pending.requestedAt)}）</span>
          </div>
          <div>理由：{pending.reason}</div>
        </div>
      ) : (
        <div className="callout warn">没有待审批的延期申请</div>
      )}
      <Field label="审批" required wide>
        <Choice
          name="approved"
          value={approved}
          onChange={setApproved}
          options={[
            { value: 'yes', label: '同意延期', tone: 'good' },
            { value: 'no', label: '不同意', tone: 'bad' },
          ]}
        />
      </Field>
      <Reason value={reason} onChange={setReason} error={errors.fields.reason} required={approved === 'no'} label="审批意见" />
      <FormError state={errors} shown={['reason']} />
      <Buttons busy={busy} onCancel={onCancel} label="提交审批" />
    </form>
  );
}

function NoteForm({ detail, submit, busy, errors, onCancel }: FormProps) {
  const [text, setText] = useState('');
  return (
    <form onSubmit={(e) => (e.preventDefault(), void submit({ action: 'note', id: detail.ticket.id, text }, { shown: ['text'] }))}>
      <Field label="进展内容" required error={errors.fields.text} wide hint="Ctrl+Enter 提交">
        <textarea rows={4} value={text} onChange={(e) => setText(e.target.value)} onKeyDown={submitOnCtrlEnter} data-testid="input-text" />
      </Field>
      <FormError state={errors} shown={['text']} />
      <Buttons busy={busy} onCancel={onCancel} label="添加备注" />
    </form>
  );
}

/** '' → undefined, a number → the number, anything else → NaN (which the contract rejects). */
function coord(v: string): number | undefined {
  const t = v.trim();
  return t === '' ? undefined : Number(t);
}

function RelocateForm({ detail, submit, busy, errors, onCancel }: FormProps) {
  const t = detail.ticket;
  const [address, setAddress] = useState(t.address);
  const [lon, setLon] = useState(t.lon != null ? String(t.lon) : '');
  const [lat, setLat] = useState(t.lat != null ? String(t.lat) : '');
  const [reason, setReason] = useState('');
  const [target, setTarget] = useState<{ text: string; outside: boolean } | null>(null);
  const lonV = coord(lon);
  const latV = coord(lat);

  // Which grid the new point falls in, shown before the operator commits.
  useEffect(() => {
    if (lonV === undefined || latV === undefined || !Number.isFinite(lonV) || !Number.isFinite(latV)) {
      setTarget(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      call('grids.lookup', { lon: lonV, lat: latV })
        .then((r) => live && setTarget(r ? { text: [...r.chain, r.grid].map((g) => g.name).join(' › '), outside: false } : { text: '该位置不在本街道范围内，保存后工单不归属任何网格并标记为街道外', outside: true }))
        .catch(() => live && setTarget(null));
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [lonV, latV]);

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void submit({ action: 'relocate', id: t.id, address, lon: lonV, lat: latV, reason }, { shown: ['address', 'lon', 'lat', 'reason'] });
      }}
    >
      <p className="form-note">位置登记有误时使用。网格按新坐标重新判定，原位置记入时间线。</p>
      <Field label="地址" required error={errors.fields.address} wide>
        <input value={address} maxLength={300} onChange={(e) => setAddress(e.target.value)} data-testid="input-address" />
      </Field>
      <Field label="经度" error={errors.fields.lon} hint="选填，如 113.6500">
        <input value={lon} inputMode="decimal" onChange={(e) => setLon(e.target.value)} data-testid="input-lon" />
      </Field>
      <Field label="纬度" error={errors.fields.lat} hint="选填，如 34.7600">
        <input value={lat} inputMode="decimal" onChange={(e) => setLat(e.target.value)} data-testid="input-lat" />
      </Field>
      {target && (
        <div className={`callout${target.outside ? ' warn' : ''} field-wide`} data-testid="relocate-grid">
          {target.outside ? target.text : <>将归入：{target.text}</>}
        </div>
      )}
      <Reason value={reason} onChange={setReason} error={errors.fields.reason} placeholder="如：地址登记错误，实际位置在经七路东侧" />
      <FormError state={errors} shown={['address', 'lon', 'lat', 'reason']} />
      <Buttons busy={busy} onCancel={onCancel} label="保存新位置" />
    </form>
  );
}

function ResolveForm({ detail, submit, busy, errors, onCancel }: FormProps) {
  const [result, setResult] = useState('');
  const [photos, setPhotos] = useState<UploadedPhoto[]>([]);
  const [uploading, setUploading] = useState(false);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void submit({ action: 'resolve', id: detail.ticket.id, result, photos: photos.map((p) => p.sha256) }, { shown: ['result', 'photos'] });
      }}
    >
      <ReplySuggestions ticketId={detail.ticket.id} onInsert={(text) => setResult((r) => (r.trim() ? `${r.trim()}\n${text}` : text))} />
      <Field label="办理结果" required error={errors.fields.result} wide hint="Ctrl+Enter 提交">
        <textarea
          rows={4}
          value={result}
          onChange={(e) => setResult(e.target.value)}
          onKeyDown={submitOnCtrlEnter}
          placeholder="如：已清理占道堆物，恢复通行"
          data-testid="input-result"
        />
      </Field>
      <Field label="处置后照片" error={errors.fields.photos} wide>
        <PhotoUploader value={photos} onChange={setPhotos} onBusy={setUploading} testId="after-photos" />
      </Field>
      <FormError state={errors} shown={['result', 'photos']} />
      <Buttons busy={busy || uploading} onCancel={onCancel} label={uploading ? '照片上传中…' : '确认办结'} />
    </form>
  );
}

function VerifyForm({ detail, submit, busy, errors, setErrors, onCancel }: FormProps) {
  const [passed, setPassed] = useState<'yes' | 'no' | undefined>(undefined);
  const [reason, setReason] = useState('');
  const [photoCheckFailed, setPhotoCheckFailed] = useState(false);
  const onPhotoCheck = useCallback((c: PhotoCheck | null) => setPhotoCheckFailed(!!c?.reasonRequired), []);
  const t = detail.ticket;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!passed) return setErrors({ ...NO_ERRORS, message: '请选择核查结果（通过/不通过）' });
        if (passed === 'no' && reason.trim().length < 2)
          return setErrors({ ...NO_ERRORS, message: '核查不通过须说明理由', fields: { reason: '请填写不通过的理由（至少2个字）' } });
        if (passed === 'yes' && photoCheckFailed && reason.trim().length < 2)
          return setErrors({ ...NO_ERRORS, message: '照片核验未通过，核查通过须说明理由', fields: { reason: '请说明照片核验未通过仍予通过的理由（至少2个字）' } });
        void submit({ action: 'verify', id: t.id, passed: passed === 'yes', reason: opt(reason) }, { shown: ['reason'] });
      }}
    >
      {t.result && (
        <div className="callout">
          <span className="muted">办理结果：</span>
          {t.result}
        </div>
      )}
      <PhotoCheckPanel detail={detail} onCheck={onPhotoCheck} />
      <Field label="核查结果" required wide>
        <Choice
          name="passed"
          value={passed}
          onChange={setPassed}
          options={[
            { value: 'yes', label: '通过', tone: 'good' },
            { value: 'no', label: '不通过（重启工单）', tone: 'bad' },
          ]}
        />
      </Field>
      <Reason value={reason} onChange={setReason} error={errors.fields.reason} required={passed === 'no' || (passed === 'yes' && photoCheckFailed)} label="核查意见" />
      <FormError state={errors} shown={['reason']} />
      <Buttons busy={busy} onCancel={onCancel} label="提交核查" />
    </form>
  );
}

function CallbackForm({ detail, submit, busy, errors, onCancel }: FormProps) {
  const [satisfaction, setSatisfaction] = useState<Satisfaction | undefined>(undefined);
  const [note, setNote] = useState('');
  const t = detail.ticket;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void submit(
          // satisfaction may be missing: the schema's Chinese message then says "请选择满意度".
          { action: 'callback', id: t.id, satisfaction: satisfaction as Satisfaction, note: opt(note) },
          { shown: ['satisfaction', 'note'] },
        );
      }}
    >
      <div className="callout">
        回访对象：{t.reporterName ?? '—'} · 电话 <strong>{t.reporterPhone ?? '—'}</strong>
      </div>
      <Field label="满意度" required error={errors.fields.satisfaction} wide>
        <Choice<Satisfaction>
          name="satisfaction"
          value={satisfaction}
          onChange={setSatisfaction}
          options={SATISFACTIONS.map((s) => ({ value: s, label: SATISFACTION_LABELS[s], tone: s === 'unsatisfied' ? 'bad' : 'good' }))}
        />
      </Field>
      {satisfaction === 'unsatisfied' && <div className="callout warn">“不满意”将重启工单，重新派单处置。</div>}
      <Field label="回访记录" error={errors.fields.note} wide>
        <textarea rows={3} value={note} onChange={(e) => setNote(e.target.value)} onKeyDown={submitOnCtrlEnter} placeholder="选填" data-testid="input-note" />
      </Field>
      <FormError state={errors} shown={['satisfaction', 'note']} />
      <Buttons busy={busy} onCancel={onCancel} label="提交回访" />
    </form>
  );
}

function CloseForm({ detail, submit, busy, errors, onCancel }: FormProps) {
  const [note, setNote] = useState('');
  return (
    <form onSubmit={(e) => (e.preventDefault(), void submit({ action: 'close', id: detail.ticket.id, note: opt(note) }, { shown: ['note'] }))}>
      <p className="form-note">归档后工单结束流转（如需再处理可“重启”）。</p>
      <Field label="归档说明" error={errors.fields.note} wide>
        <textarea rows={2} value={note} onChange={(e) => setNote(e.target.value)} onKeyDown={submitOnCtrlEnter} placeholder="选填" data-testid="input-note" />
      </Field>
      <FormError state={errors} shown={['note']} />
      <Buttons busy={busy} onCancel={onCancel} label="确认归档" />
    </form>
  );
}

function MergeForm({ detail, submit, busy, errors, setErrors, onCancel }: FormProps) {
  const [target, setTarget] = useState('');
  const [reason, setReason] = useState('');
  const [found, setFound] = useState<{ id: string; code: string; description: string; status: TicketDetail['ticket']['status'] } | null>(null);
  const [looking, setLooking] = useState(false);

  // Look the target up by its code (or id) while typing.
  useEffect(() => {
    const q = target.trim();
    setFound(null);
    if (q.length < 4) return;
    let stale = false;
    setLooking(true);
    const timer = setTimeout(async () => {
      try {
        const page = await call('tickets.list', { startRow: 0, endRow: 20, sort: [], filter: { q } });
        const hit = page.rows.find((r) => r.code === q || r.id === q) ?? null;
        if (!stale) setFound(hit);
      } catch {
        if (!stale) setFound(null);
      } finally {
        if (!stale) setLooking(false);
      }
    }, 300);
    return () => {
      stale = true;
      clearTimeout(timer);
      setLooking(false);
    };
  }, [target]);

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const targetId = found?.id ?? target.trim();
        if (targetId === detail.ticket.id || target.trim() === detail.ticket.code)
          return setErrors({ ...NO_ERRORS, message: '不能并入工单自身', fields: { targetId: '不能并入工单自身' } });
        void submit({ action: 'merge', id: detail.ticket.id, targetId, reason }, { shown: ['targetId', 'reason'] });
      }}
    >
      <p className="form-note">将本工单作为重复件并入另一工单，本工单将作废。</p>
      <Field label="并入的工单（编号）" required error={errors.fields.targetId} wide>
        <input type="text" value={target} onChange={(e) => setTarget(e.target.value)} placeholder="输入目标工单编号" data-testid="input-target" />
      </Field>
      {target.trim().length >= 4 && (
        <div className="callout small" data-testid="merge-target">
          {looking ? (
            '查找中…'
          ) : found ? (
            <>
              <StatusPill status={found.status} /> <strong>{found.code}</strong> {truncate(found.description, 60)}
            </>
          ) : (
            <span className="warn">未找到编号为“{target.trim()}”的工单</span>
          )}
        </div>
      )}
      <Reason value={reason} onChange={setReason} error={errors.fields.reason} />
      <FormError state={errors} shown={['targetId', 'reason']} />
      <Buttons busy={busy} onCancel={onCancel} label="确认合并" danger />
    </form>
  );
}

function SuperviseForm({ detail, submit, busy, errors, onCancel }: FormProps) {
  const current = detail.ticket.supervisionLevel;
  const [level, setLevel] = useState(String(Math.min(4, Math.max(1, current + 1))));
  const [reason, setReason] = useState('');
  return (
    <form onSubmit={(e) => (e.preventDefault(), void submit({ action: 'supervise', id: detail.ticket.id, level: Number(level), reason }, { shown: ['level', 'reason'] }))}>
      <p className="form-note">当前督办级别：{SUPERVISION_LABELS[current as SupervisionLevel] ?? current}</p>
      <Field label="督办级别" required error={errors.fields.level}>
        <select value={level} onChange={(e) => setLevel(e.target.value)} data-testid="input-level">
          {[1, 2, 3, 4].map((l) => (
            <option key={l} value={l}>
              {SUPERVISION_LABELS[l as SupervisionLevel]}
            </option>
          ))}
        </select>
      </Field>
      <Reason value={reason} onChange={setReason} error={errors.fields.reason} label="督办意见" />
      <FormError state={errors} shown={['level', 'reason']} />
      <Buttons busy={busy} onCancel={onCancel} label="发起督办" />
    </form>
  );
}

// ---------------------------------------------------------------------------------------------

const TITLES: Partial<Record<TicketAction, string>> = {
  dispatch: '派单',
  respondNegotiation: '商定派单答复',
  decideExtension: '审批延期申请',
};

export function ActionDialog({
  action,
  detail,
  onDone,
  onClose,
}: {
  action: TicketAction;
  detail: TicketDetail;
  onDone: (d: TicketDetail, action: TicketAction) => void;
  onClose: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrorState>(NO_ERRORS);

  const submit: Submit = async (input) => {
    const parsed = ticketActionInput.safeParse(input);
    if (!parsed.success) {
      setErrors(fromZod(parsed.error));
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const next = await call('tickets.act', input);
      onDone(next, action);
    } catch (e) {
      setErrors(fromError(e));
    } finally {
      setBusy(false);
    }
  };

  const props: FormProps = { detail, submit, busy, errors, setErrors, onCancel: onClose };
  let body: ReactNode;
  switch (action) {
    case 'register':
      body = <RegisterForm {...props} />;
      break;
    case 'classify':
      body = <ClassifyForm {...props} />;
      break;
    case 'dispatch':
      body = <DispatchForm {...props} />;
      break;
    case 'respondNegotiation':
      body = <RespondNegotiationForm {...props} />;
      break;
    case 'accept':
      body = <AcceptForm {...props} />;
      break;
    case 'return':
      body = <ReasonOnlyForm {...props} action="return" note="退回街道重新派单（如：不属于本单位职责），请写明理由。" />;
      break;
    case 'requestExtension':
      body = <RequestExtensionForm {...props} />;
      break;
    case 'decideExtension':
      body = <DecideExtensionForm {...props} />;
      break;
    case 'note':
      body = <NoteForm {...props} />;
      break;
    case 'resolve':
      body = <ResolveForm {...props} />;
      break;
    case 'verify':
      body = <VerifyForm {...props} />;
      break;
    case 'callback':
      body = <CallbackForm {...props} />;
      break;
    case 'close':
      body = <CloseForm {...props} />;
      break;
    case 'reopen':
      body = <ReasonOnlyForm {...props} action="reopen" note="重启后工单回到待派单状态，需重新派单处置。" />;
      break;
    case 'cancel':
      body = <ReasonOnlyForm {...props} action="cancel" note="作废用于无效工单（如：恶意、重复、信息不全无法联系）。作废后不再流转。" danger />;
      break;
    case 'merge':
      body = <MergeForm {...props} />;
      break;
    case 'supervise':
      body = <SuperviseForm {...props} />;
      break;
    case 'relocate':
      body = <RelocateForm {...props} />;
      break;
    default:
      body = <p>未知操作</p>;
  }

  return (
    <Modal
      title={
        <>
          {TITLES[action] ?? ACTION_LABELS[action]} <span className="muted small">· {detail.ticket.code}</span>
        </>
      }
      onClose={busy ? () => undefined : onClose}
      width={action === 'dispatch' || action === 'resolve' ? 640 : 540}
      testId={`dialog-${action}`}
    >
      {body}
    </Modal>
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
