// 新建工单: the intake form. Photos are checked and uploaded first; the ticket is created with
// their sha256 — with the photo-suggestion decisions and, when the operator took a duplicate, the
// merge, all in one call — and the operator lands on the new ticket (or the one it merged into).

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ticketCreateInput, type TicketCreateInput } from '../../shared/api/contract';
import {
  CHANNEL_LABELS,
  CHANNELS,
  CITY_ONLY_CHANNELS,
  defaultChannelFor,
  TICKET_TYPE_LABELS,
  TICKET_TYPES,
  URGENCIES,
  URGENCY_LABELS,
  type Channel,
  type TicketType,
  type Urgency,
} from '../../shared/domain/ticket';
import { Field, FormError } from '../components/Form';
import { CategoryPicker, GridPicker } from '../components/Pickers';
import { AddressInput } from '../components/AddressInput';
import { LocationPickMap } from '../map/LocationPickMap';
import { call } from '../api/client';
import { PhotoUploader, type UploadedPhoto } from '../components/Photos';
import { PhotoSuggestions, photoDecisionEntries, type PhotoDecision } from '../components/PhotoSuggestions';
import { TextSuggestions, type SuggestionLink } from '../components/TextSuggestions';
import { DuplicateCandidates } from '../components/DuplicateCandidates';
import { useSubmit } from '../lib/submit';
import { clearField } from '../lib/validation';
import { navigate, ticketPath } from '../lib/router';
import type { GridInfo } from '../../shared/api/types';
import { useReadySession } from '../state/session';
import { useToast } from '../state/toast';

const SHOWN = [
  'channel',
  'type',
  'description',
  'address',
  'lon',
  'lat',
  'gridId',
  'reporterName',
  'reporterPhone',
  'externalRef',
  'categoryId',
  'urgency',
  'photos',
];

/**
 * A point picked on the map arrives in the hash: #/new?lon=..&lat=..&gridId=..&address=..
 * Values that do not parse are ignored (the form starts empty for them).
 */
function prefillFrom(query: URLSearchParams | undefined, grids: Map<string, GridInfo>) {
  const coord = (name: string, min: number, max: number) => {
    const raw = query?.get(name)?.trim();
    if (!raw) return '';
    const n = Number(raw);
    return Number.isFinite(n) && n >= min && n <= max ? raw : '';
  };
  const lon = coord('lon', -180, 180);
  const lat = coord('lat', -90, 90);
  const both = lon !== '' && lat !== '';
  const gridId = query?.get('gridId')?.trim();
  const address = query?.get('address')?.trim().slice(0, 300) ?? '';
  return {
    lon: both ? lon : '',
    lat: both ? lat : '',
    gridId: gridId && grids.has(gridId) ? gridId : undefined,
    address,
    fromMap: both,
  };
}

/** "经八路街道 › 体育社区 › 第二网格" for a grid, from the bootstrap lookups. */
function gridChain(id: string | undefined, grids: Map<string, GridInfo>): string {
  const names: string[] = [];
  let g = id ? grids.get(id) : undefined;
  for (let i = 0; g && i < 8; i++) {
    names.unshift(g.name);
    g = g.parentId ? grids.get(g.parentId) : undefined;
  }
  return names.join(' › ');
}

interface Draft {
  description: string;
  address: string;
  reporterName: string;
  reporterPhone: string;
  externalRef: string;
}

export function NewTicketPage({ query }: { query?: URLSearchParams } = {}) {
  const { lookups, user } = useReadySession();
  const toast = useToast();
  const [prefill] = useState(() => prefillFrom(query, lookups.grids));
  const [channel, setChannel] = useState<Channel | ''>(() => defaultChannelFor(user.role));
  const [type, setType] = useState<TicketType | ''>('complaint');
  const [description, setDescription] = useState('');
  const [address, setAddress] = useState(prefill.address);
  const [lon, setLon] = useState(prefill.lon);
  const [lat, setLat] = useState(prefill.lat);
  const [gridId, setGridId] = useState<string | undefined>(prefill.gridId);
  const [reporterName, setReporterName] = useState('');
  const [reporterPhone, setReporterPhone] = useState('');
  const [externalRef, setExternalRef] = useState('');
  const [categoryId, setCategoryId] = useState<string | undefined>();
  const [urgency, setUrgency] = useState<Urgency>('normal');
  const [isMicro, setIsMicro] = useState(false);
  const [isCrossBoundary, setIsCrossBoundary] = useState(false);
  const [photos, setPhotos] = useState<UploadedPhoto[]>([]);
  const [uploading, setUploading] = useState(false);
  const { submit, busy, errors, setErrors } = useSubmit(ticketCreateInput, 'tickets.create');
  const [aiLink, setAiLink] = useState<SuggestionLink>({});
  const [dupLink, setDupLink] = useState<string | undefined>();
  const [mergeInto, setMergeInto] = useState<string | undefined>();
  const formRef = useRef<HTMLFormElement>(null);
  const photoDecisions = useRef<PhotoDecision[]>([]);

  // A point clicked (or the marker dragged) on the small map: the point, and the grid at it judged
  // by the node (grids.lookup, the innermost grid, as a place proposal carries). Only the newest
  // click's answer is taken.
  const pickSeq = useRef(0);
  const [pickError, setPickError] = useState<string | null>(null);
  const pickOnMap = (lonV: number, latV: number) => {
    for (const k of ['lon', 'lat', 'gridId'] as const) clear(k);
    setLon(lonV.toFixed(6));
    setLat(latV.toFixed(6));
    setPickError(null);
    const seq = ++pickSeq.current;
    call('grids.lookup', { lon: Number(lonV.toFixed(6)), lat: Number(latV.toFixed(6)) }).then(
      (r) => {
        if (seq !== pickSeq.current) return;
        setGridId(r && lookups.grids.has(r.grid.id) ? r.grid.id : undefined);
        if (!r) setPickError('该位置不在本街道范围内，网格将不指定');
      },
      (e: unknown) => {
        if (seq !== pickSeq.current) return;
        setPickError(`未能判定所属网格：${e instanceof Error ? e.message : String(e)}`);
      },
    );
  };
  const lonN = lon.trim() ? Number(lon) : NaN;
  const latN = lat.trim() ? Number(lat) : NaN;
  const mapPoint: [number, number] | null = Number.isFinite(lonN) && Number.isFinite(latN) && Math.abs(lonN) <= 180 && Math.abs(latN) <= 85 ? [lonN, latN] : null;

  /** Editing a field clears its error (and the summary with the last one). */
  const clear = (key: string) => setErrors((e) => clearField(e, key));

  // A half-typed complaint survives leaving the page: a draft per user in this browser, restored
  // on return, dropped when the ticket is filed or the operator discards it.
  const draftKey = `chengyun.draft.newTicket.${user.id}`;
  const [restored, setRestored] = useState(false);
  useEffect(() => {
    if (query?.toString()) return; // a prefilled form (from the map) starts from its prefill
    try {
      const d = JSON.parse(localStorage.getItem(draftKey) ?? 'null') as Partial<Draft> | null;
      if (!d || typeof d !== 'object' || !(d.description || d.address || d.reporterPhone || d.reporterName)) return;
      if (typeof d.description === 'string') setDescription(d.description.slice(0, 5000));
      if (typeof d.address === 'string') setAddress(d.address.slice(0, 500));
      if (typeof d.reporterName === 'string') setReporterName(d.reporterName.slice(0, 50));
      if (typeof d.reporterPhone === 'string') setReporterPhone(d.reporterPhone.slice(0, 20));
      if (typeof d.externalRef === 'string') setExternalRef(d.externalRef.slice(0, 100));
      setRestored(true);
    } catch {
      localStorage.removeItem(draftKey); // unreadable: start clean
    }
    // Once, on opening the page.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const dirty = !!(description.trim() || reporterPhone.trim() || reporterName.trim() || (address.trim() && address !== prefill.address));
  useEffect(() => {
    if (!dirty) return;
    const t = setTimeout(() => localStorage.setItem(draftKey, JSON.stringify({ description, address, reporterName, reporterPhone, externalRef } satisfies Draft)), 300);
    return () => clearTimeout(t);
  }, [dirty, draftKey, description, address, reporterName, reporterPhone, externalRef]);
  // Closing or reloading the window with a half-typed complaint asks first.
  useEffect(() => {
    if (!dirty) return;
    const onLeave = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onLeave);
    return () => window.removeEventListener('beforeunload', onLeave);
  }, [dirty]);
  const discardDraft = () => {
    localStorage.removeItem(draftKey);
    setDescription('');
    setAddress(prefill.address);
    setReporterName('');
    setReporterPhone('');
    setExternalRef('');
    setRestored(false);
  };

  // After a failed submit, bring the first invalid field into view.
  useEffect(() => {
    if (!errors.message) return;
    const el = formRef.current?.querySelector<HTMLElement>('.field.has-error input, .field.has-error textarea, .field.has-error select');
    if (el) {
      el.scrollIntoView({ block: 'center' });
      el.focus({ preventScroll: true });
    }
  }, [errors.message, errors.issues]);

  const num = (s: string): number | undefined | 'bad' => {
    if (!s.trim()) return undefined;
    const n = Number(s.trim());
    return Number.isFinite(n) ? n : 'bad';
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || uploading) return;
    const lonV = num(lon);
    const latV = num(lat);
    if (lonV === 'bad' || latV === 'bad' || (lonV === undefined) !== (latV === undefined)) {
      const fields: Record<string, string> = {};
      if (lonV === 'bad') fields.lon = '经度须为数字';
      if (latV === 'bad') fields.lat = '纬度须为数字';
      if (lonV === undefined && latV !== undefined) fields.lon = '请同时填写经度';
      if (latV === undefined && lonV !== undefined) fields.lat = '请同时填写纬度';
      setErrors({ message: '坐标填写不完整或格式不正确', fields, issues: [] });
      return;
    }
    const input: TicketCreateInput = {
      channel: channel as Channel,
      type: type as TicketType,
      description,
      address,
      lon: lonV,
      lat: latV,
      gridId,
      reporterName: reporterName.trim() || undefined,
      reporterPhone: reporterPhone.trim(),
      externalRef: externalRef.trim() || undefined,
      categoryId,
      urgency,
      isMicro,
      isCrossBoundary,
      photos: photos.map((p) => p.sha256),
      ai: { ...aiLink, duplicateSuggestionId: dupLink },
      photoDecisions: photoDecisionEntries(categoryId, photoDecisions.current),
      mergeInto,
    };
    // One call, one transaction: the ticket, the photo decisions and (if chosen) the merge.
    const d = await submit(input);
    if (!d) return;
    localStorage.removeItem(draftKey);
    if (mergeInto) {
      toast.success(`工单 ${d.ticket.code} 已创建并并入已有工单`);
      navigate(ticketPath(d.ticket.mergedInto ?? mergeInto));
      return;
    }
    localStorage.removeItem(draftKey);
    toast.success(`工单 ${d.ticket.code} 已创建`);
    navigate(ticketPath(d.ticket.id));
  };

  const f = errors.fields;
  const cat = categoryId ? lookups.catalog.get(categoryId) : undefined;

  return (
    <div className="page">
      <div className="page-head">
        <h2>新建工单</h2>
      </div>
      {restored && (
        <div className="callout" data-testid="draft-restored">
          已恢复上次未提交的内容。
          <button type="button" className="link-btn" onClick={discardDraft} data-testid="draft-discard">
            丢弃草稿
          </button>
        </div>
      )}
      <form className="card form-card" onSubmit={onSubmit} noValidate data-testid="new-ticket-form" ref={formRef}>
        <div className="form-section">诉求信息</div>
        <div className="form-grid">
          <Field label="来源渠道" required error={f.channel}>
            <select value={channel} onChange={(e) => (clear('channel'), setChannel(e.target.value as Channel))} data-testid="new-channel">
              <option value="">请选择</option>
              {CHANNELS.filter((c) => !CITY_ONLY_CHANNELS.includes(c)).map((c) => (
                <option key={c} value={c}>
                  {CHANNEL_LABELS[c]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="诉求类型" required error={f.type}>
            <select value={type} onChange={(e) => (clear('type'), setType(e.target.value as TicketType))} data-testid="new-type">
              <option value="">请选择</option>
              {TICKET_TYPES.map((t) => (
                <option key={t} value={t}>
                  {TICKET_TYPE_LABELS[t]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="12345工单号" error={f.externalRef} hint="市12345平台转来的工单填写">
            <input value={externalRef} maxLength={64} onChange={(e) => (clear('externalRef'), setExternalRef(e.target.value))} data-testid="new-externalRef" />
          </Field>
          <Field label="紧急程度" error={f.urgency}>
            <select value={urgency} onChange={(e) => (clear('urgency'), setUrgency(e.target.value as Urgency))} data-testid="new-urgency">
              {URGENCIES.map((u) => (
                <option key={u} value={u}>
                  {URGENCY_LABELS[u]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="问题描述" required error={f.description} wide hint={`${description.trim().length} / 5000`}>
            <textarea
              rows={5}
              value={description}
              onChange={(e) => (clear('description'), setDescription(e.target.value))}
              placeholder="请描述问题的时间、地点、现象和诉求，至少5个字"
              data-testid="new-description"
            />
          </Field>
          <Field label="派单目录分类" error={f.categoryId} wide hint={cat ? `默认处置单位：${cat.defaultUnitId ? lookups.units.get(cat.defaultUnitId)?.name ?? '—' : '无'}` : '可稍后分类'}>
            <CategoryPicker items={lookups.leaves} value={categoryId} onChange={(v) => (clear('categoryId'), setCategoryId(v))} testId="new-category" />
            <TextSuggestions text={description} value={categoryId} onPick={(v) => (clear('categoryId'), setCategoryId(v))} onLink={setAiLink} isMicro={isMicro} onMicro={setIsMicro} />
          </Field>
          <div className="field field-wide checks">
            <label className="check">
              <input type="checkbox" checked={isMicro} onChange={(e) => setIsMicro(e.target.checked)} data-testid="new-isMicro" />
              小微事件（网格可自行处置）
            </label>
            <label className="check">
              <input type="checkbox" checked={isCrossBoundary} onChange={(e) => setIsCrossBoundary(e.target.checked)} data-testid="new-isCrossBoundary" />
              三跨事件（跨区域/跨层级/跨部门）
            </label>
          </div>
        </div>

        <div className="form-section">位置</div>
        {prefill.fromMap && (
          <div className="callout map-prefill" data-testid="new-from-map">
            已从地图选点：
            {prefill.gridId ? <strong data-testid="new-map-grid">{gridChain(prefill.gridId, lookups.grids)}</strong> : <span className="warn">该位置不在本街道范围内</span>}
            <span className="muted">
              （{Number(prefill.lon).toFixed(6)}, {Number(prefill.lat).toFixed(6)}）
            </span>
            <a href="#/map" className="map-prefill-link">
              在地图上重新选点
            </a>
          </div>
        )}
        <div className="form-grid">
          <Field label="地址" required error={f.address} wide>
            <AddressInput
              value={address}
              onChange={(t) => (clear('address'), setAddress(t))}
              onPick={(p) => {
                for (const k of ['address', 'lon', 'lat', 'gridId'] as const) clear(k);
                pickSeq.current++; // a map click still waiting for its grid no longer counts
                setPickError(null);
                setAddress(p.address);
                setLon(p.lon.toFixed(6));
                setLat(p.lat.toFixed(6));
                setGridId(p.gridId && lookups.grids.has(p.gridId) ? p.gridId : undefined);
              }}
              placeholder="如：经八路12号院3号楼东侧（输入2个字起提示地名）"
              testId="new-address"
            />
          </Field>
          <Field label="所属网格" error={f.gridId} hint={gridId ? gridChain(lookups.grids.get(gridId)?.parentId ?? undefined, lookups.grids) || undefined : undefined}>
            <GridPicker grids={lookups.grids} value={gridId} onChange={(v) => (clear('gridId'), setGridId(v))} emptyLabel="按坐标自动判定，可搜索网格" testId="new-grid" />
          </Field>
          <Field label="经度" error={f.lon} hint="选填，如 113.6500">
            <input inputMode="decimal" value={lon} onChange={(e) => (clear('lon'), setLon(e.target.value))} data-testid="new-lon" />
          </Field>
          <Field label="纬度" error={f.lat} hint="选填，如 34.7600">
            <input inputMode="decimal" value={lat} onChange={(e) => (clear('lat'), setLat(e.target.value))} data-testid="new-lat" />
          </Field>
          <div className="field field-wide">
            <span className="field-label">地图选点</span>
            <LocationPickMap point={mapPoint} onPick={pickOnMap} height={300} testId="new-map" />
            {pickError && (
              <span className="field-error" data-testid="new-map-error">
                {pickError}
              </span>
            )}
          </div>
        </div>

        <DuplicateCandidates
          query={{ text: description, gridId, lon: Number.isFinite(Number(lon)) && lon.trim() && lat.trim() ? Number(lon) : undefined, lat: Number.isFinite(Number(lat)) && lon.trim() && lat.trim() ? Number(lat) : undefined, categoryId, reporterPhone: reporterPhone.trim() || undefined }}
          mergeInto={mergeInto}
          onMergeInto={setMergeInto}
          onLink={setDupLink}
        />

        <div className="form-section">报告人</div>
        <div className="form-grid">
          <Field label="姓名" error={f.reporterName}>
            <input value={reporterName} maxLength={50} onChange={(e) => (clear('reporterName'), setReporterName(e.target.value))} data-testid="new-reporterName" />
          </Field>
          <Field label="联系电话" error={f.reporterPhone} hint="留电话方可回访">
            <input type="tel" value={reporterPhone} onChange={(e) => (clear('reporterPhone'), setReporterPhone(e.target.value))} data-testid="new-reporterPhone" />
          </Field>
        </div>

        <div className="form-section">现场照片</div>
        <Field label="处置前照片" error={f.photos} wide>
          <PhotoUploader value={photos} onChange={(v) => (clear('photos'), setPhotos(v))} onBusy={setUploading} testId="new-photos" />
        </Field>
        <PhotoSuggestions
          photos={photos}
          categoryId={categoryId}
          onCategory={(v) => (clear('categoryId'), setCategoryId(v))}
          onDescription={(v) => (clear('description'), setDescription(v))}
          description={description}
          decisions={photoDecisions}
        />

        <div className="form-actions sticky">
          <div className="form-actions-msg">
            <FormError state={errors} shown={SHOWN} />
          </div>
          <button type="button" onClick={() => history.back()} disabled={busy}>
            取消
          </button>
          <button type="submit" className="primary" disabled={busy || uploading} data-testid="form-submit">
            {busy ? '提交中…' : uploading ? '照片上传中…' : '创建工单'}
          </button>
        </div>
      </form>
    </div>
  );
}
