// The street's own setup steps, in the wizard and in 设置: street details (ticket code prefix,
// population, area), the grid file import (GeoJSON or zipped Shapefile, all or nothing), and the
// default dispatch catalog.

import { useState, type FormEvent } from 'react';
import { call, errorMessage } from '../../api/client';
import { useReadySession } from '../../state/session';
import { useToast } from '../../state/toast';
import { Field, FormError } from '../Form';
import { fromError, NO_ERRORS, type FormErrorState } from '../../lib/validation';
import { readAsBase64 } from '../../lib/fileData';

export function StreetDetailsCard() {
  const { boot, user, refreshBootstrap } = useReadySession();
  const toast = useToast();
  const s = boot.street;
  const canEdit = user.role === 'leader' || user.role === 'admin';
  const [prefix, setPrefix] = useState('');
  const [population, setPopulation] = useState('');
  const [errors, setErrors] = useState<FormErrorState>(NO_ERRORS);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setErrors(NO_ERRORS);
    try {
      await call('street.update', {
        ...(prefix.trim() ? { codePrefix: prefix.trim().toUpperCase() } : {}),
        ...(population.trim() ? { population: Number(population) } : {}),
      });
      toast.success('街道信息已保存');
      await refreshBootstrap();
    } catch (err) {
      setErrors(fromError(err));
    }
  };

  return (
    <section className="card" data-testid="setup-street">
      <div className="card-head">
        <h3>街道信息</h3>
      </div>
      <dl className="fields">
        <div className="f">
          <dt>街道</dt>
          <dd data-testid="setup-street-name">{s.name}</dd>
        </div>
        <div className="f">
          <dt>街道编码</dt>
          <dd className="mono">{s.code}</dd>
        </div>
        <div className="f">
          <dt>所属</dt>
          <dd>
            {s.city} {s.district}
          </dd>
        </div>
      </dl>
      <p className="muted small">名称、区县和城市来自国家统计局区划代码表，不可修改。</p>
      {canEdit && (
        <form className="form-grid" onSubmit={(e) => void save(e)}>
          <Field label="工单编号前缀" error={errors.fields.codePrefix} hint="1–4个大写字母，如 HY（工单编号 HY-20260101-0001）">
            <input value={prefix} onChange={(e) => setPrefix(e.target.value)} data-testid="setup-prefix" />
          </Field>
          <Field label="常住人口" error={errors.fields.population}>
            <input inputMode="numeric" value={population} onChange={(e) => setPopulation(e.target.value.replace(/\D/g, ''))} />
          </Field>
          <div className="form-actions">
            <button type="submit" className="primary" data-testid="setup-street-save">
              保存
            </button>
          </div>
          <FormError state={errors} shown={['codePrefix', 'population']} />
        </form>
      )}
    </section>
  );
}

export function GridImportCard() {
  const { lookups, refreshBootstrap } = useReadySession();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [gcj, setGcj] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const counts = [...lookups.grids.values()].reduce<Record<string, number>>((a, g) => ((a[g.level] = (a[g.level] ?? 0) + 1), a), {});

  const importFile = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const r = await call('grids.import', { name: file.name, dataBase64: await readAsBase64(file), convertGcj02: gcj });
      toast.success(`网格已导入：共 ${r.grids} 个（新增 ${r.added}，更新 ${r.updated}）`);
      await refreshBootstrap();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" data-testid="setup-grids">
      <div className="card-head">
        <h3>网格</h3>
        <span className="muted small">
          社区 {counts['2'] ?? 0} · 网格 {counts['3'] ?? 0} · 微网格 {counts.micro ?? 0}
        </span>
      </div>
      <p className="muted small">导入本街道的网格文件（GeoJSON 或 Shapefile 压缩包，WGS-84/CGCS2000）。整个文件检查通过才会导入，有任何问题则不作改动并列出原因。同一编码的网格会被更新。</p>
      <label className="check">
        <input type="checkbox" checked={gcj} onChange={(e) => setGcj(e.target.checked)} /> 文件取自高德等网络地图（GCJ-02 坐标，自动转换）
      </label>
      <label className={`small-btn file-btn${busy ? ' disabled' : ''}`}>
        {busy ? '正在检查并导入…' : '选择网格文件'}
        <input type="file" accept=".geojson,.json,.zip" hidden disabled={busy} onChange={(e) => void importFile(e.target.files?.[0])} data-testid="grids-import" />
      </label>
      {error && (
        <div className="callout error" data-testid="grids-import-error">
          {error}
        </div>
      )}
    </section>
  );
}

export function CatalogCard() {
  const { lookups, refreshBootstrap } = useReadySession();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const install = async () => {
    setBusy(true);
    try {
      const r = await call('catalog.installDefault', {});
      toast.success(`已装入默认派单目录（${r.added} 项）`);
      await refreshBootstrap();
    } catch (err) {
      toast.error(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" data-testid="setup-catalog">
      <div className="card-head">
        <h3>派单目录</h3>
        <span className="muted small">
          {lookups.catalog.size} 项（可派分类 {lookups.leaves.length} 项）
        </span>
      </div>
      {lookups.catalog.size === 0 ? (
        <>
          <p className="muted small">装入默认目录：按数字城管国家标准和郑州12345分类，含受理、办结时限；默认承办单位可在派单时指定。接入市级平台后，市里下发的目录会自动替换。</p>
          <button type="button" className="primary" disabled={busy} onClick={() => void install()} data-testid="catalog-install">
            装入默认派单目录
          </button>
        </>
      ) : (
        <p className="muted small">本街道已有派单目录。</p>
      )}
    </section>
  );
}
