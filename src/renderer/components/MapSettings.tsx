// 设置 › 地图底图: the offline street basemap (default) or the deployment's 天地图 WMTS with its key.
// Leaders change it; everyone sees which one is in use.

import { useCallback, useState } from 'react';
import type { TileService } from '../../shared/api/grids';
import { call } from '../api/client';
import { useToast } from '../state/toast';
import { Field } from './Form';
import { useLiveQuery } from '../lib/liveQuery';
import { useSubmit } from '../lib/submit';

const DEFAULT_URL = 'https://t{0-7}.tianditu.gov.cn/vec_w/wmts';
const LAYERS: Record<NonNullable<TileService['layer']>, string> = { vec: '矢量', img: '影像', ter: '地形' };

export function MapSettings({ canEdit }: { canEdit: boolean }) {
  const toast = useToast();
  const [url, setUrl] = useState(DEFAULT_URL);
  const [key, setKey] = useState('');
  const [layer, setLayer] = useState<NonNullable<TileService['layer']>>('vec');
  // The basemap in use, loaded once; it fills the form for editing.
  const { data: inUse, error: loadError, set: setInUse } = useLiveQuery(
    useCallback(() => call('map.basemap', {}).then((b) => ({ tileService: b.tileService })), []),
    null,
    {
      onLoad: (b) => {
        if (!b.tileService) return;
        setUrl(b.tileService.url);
        setKey(b.tileService.key);
        setLayer(b.tileService.layer ?? 'vec');
      },
    },
  );
  const current = inUse ? inUse.tileService : undefined;
  const { submit, busy, errors } = useSubmit(null, 'map.setTileService');
  const error = errors.message ?? loadError;

  const save = async (ts: TileService | null) => {
    const saved = await submit({ tileService: ts });
    if (saved === undefined) return;
    setInUse({ tileService: saved });
    toast.success(saved ? '地图已改用天地图在线底图' : '地图已改用离线底图');
    // The page's Content-Security-Policy names the allowed tile hosts; it takes effect on a new load.
    setTimeout(() => window.location.reload(), 800);
  };

  return (
    <section className="card" data-testid="settings-map">
      <div className="card-head">
        <h3>地图底图</h3>
        {!canEdit && <span className="muted small">仅街道领导可更改</span>}
      </div>
      <p className="small" data-testid="settings-map-current">
        当前：
        {current === undefined ? '读取中…' : current ? <strong>天地图在线底图（{LAYERS[current.layer ?? 'vec']}）</strong> : <strong>离线底图（本街道网格与道路，无需联网）</strong>}
      </p>
      {canEdit && (
        <form
          className="form-grid"
          onSubmit={(e) => {
            e.preventDefault();
            void save({ kind: 'tianditu', url: url.trim(), key: key.trim(), layer });
          }}
        >
          <Field label="天地图 WMTS 地址" wide hint="如 https://t{0-7}.tianditu.gov.cn/vec_w/wmts">
            <input value={url} onChange={(e) => setUrl(e.target.value)} maxLength={300} data-testid="settings-map-url" />
          </Field>
          <Field label="天地图密钥（tk）" wide>
            <input value={key} onChange={(e) => setKey(e.target.value)} maxLength={64} className="mono" data-testid="settings-map-key" />
          </Field>
          <Field label="图层">
            <select value={layer} onChange={(e) => {
                const l = e.target.value as NonNullable<TileService['layer']>;
                setLayer(l);
                // 天地图 serves each layer from its own path (vec_w, img_w, ter_w).
                setUrl((u) => u.replace(/\/(vec|img|ter)_w\//, `/${l}_w/`));
              }} data-testid="settings-map-layer">
              {Object.entries(LAYERS).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </Field>
          {error && (
            <div className="form-error field-wide" role="alert" data-testid="settings-map-error">
              {error}
            </div>
          )}
          <div className="field-wide form-actions">
            <button type="submit" className="primary" disabled={busy} data-testid="settings-map-save">
              使用天地图
            </button>
            {current && (
              <button type="button" disabled={busy} onClick={() => void save(null)} data-testid="settings-map-offline">
                改回离线底图
              </button>
            )}
          </div>
        </form>
      )}
      {!canEdit && error && <div className="form-error">{error}</div>}
    </section>
  );
}
