// 修改位置: correct the address and coordinates (typing the address proposes places with a point,
// or click the small map / drag its marker); the grid is judged again.

import { useCallback, useState } from 'react';
import { call } from '../../api/client';
import { useLiveQuery } from '../../lib/liveQuery';
import { Field, FormError } from '../Form';
import { AddressInput } from '../AddressInput';
import { LocationPickMap } from '../../map/LocationPickMap';
import { Buttons, type FormProps, Reason } from './parts';

/** '' → undefined, a number → the number, anything else → NaN (which the contract rejects). */
function coord(v: string): number | undefined {
  const t = v.trim();
  return t === '' ? undefined : Number(t);
}

export function RelocateForm({ detail, submit, busy, errors, onCancel }: FormProps) {
  const t = detail.ticket;
  const [address, setAddress] = useState(t.address);
  const [lon, setLon] = useState(t.lon != null ? String(t.lon) : '');
  const [lat, setLat] = useState(t.lat != null ? String(t.lat) : '');
  const [reason, setReason] = useState('');
  const lonV = coord(lon);
  const latV = coord(lat);
  const valid = lonV !== undefined && latV !== undefined && Number.isFinite(lonV) && Number.isFinite(latV);

  // Which grid the new point falls in, shown before the operator commits (asked once typing pauses).
  const { data: found, error } = useLiveQuery(
    useCallback(() => (valid ? call('grids.lookup', { lon: lonV as number, lat: latV as number }).then((r) => ({ r })) : Promise.resolve(null)), [valid, lonV, latV]),
    null,
    { delayMs: valid ? 250 : 0 },
  );
  const target =
    !valid || error || !found
      ? null
      : found.r
        ? { text: [...found.r.chain, found.r.grid].map((g) => g.name).join(' › '), outside: false }
        : { text: '该位置不在本街道范围内，保存后工单不归属任何网格并标记为街道外', outside: true };

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void submit({ action: 'relocate', id: t.id, address, lon: lonV, lat: latV, reason }, { shown: ['address', 'lon', 'lat', 'reason'] });
      }}
    >
      <p className="form-note">位置登记有误时使用。网格按新坐标重新判定，原位置记入时间线。</p>
      <Field label="地址" required error={errors.fields.address} wide>
        <AddressInput
          value={address}
          onChange={setAddress}
          onPick={(p) => {
            setAddress(p.address);
            setLon(p.lon.toFixed(6));
            setLat(p.lat.toFixed(6));
          }}
          testId="input-address"
        />
      </Field>
      <Field label="经度" error={errors.fields.lon} hint="选填，如 113.6500">
        <input value={lon} inputMode="decimal" onChange={(e) => setLon(e.target.value)} data-testid="input-lon" />
      </Field>
      <Field label="纬度" error={errors.fields.lat} hint="选填，如 34.7600">
        <input value={lat} inputMode="decimal" onChange={(e) => setLat(e.target.value)} data-testid="input-lat" />
      </Field>
      <div className="field field-wide">
        <span className="field-label">地图选点</span>
        <LocationPickMap
          point={valid && Math.abs(lonV) <= 180 && Math.abs(latV) <= 85 ? [lonV, latV] : null}
          onPick={(x, y) => {
            setLon(x.toFixed(6));
            setLat(y.toFixed(6));
          }}
          height={220}
          testId="relocate-map"
        />
      </div>
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
