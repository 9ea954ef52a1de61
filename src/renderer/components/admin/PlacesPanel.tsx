// 设置 › 地名库 (leader, administrator): the street's offline gazetteer that 新建工单 proposes from
// as an address is typed. Import a table (CSV or .xlsx with the columns 名称, 类型, 地址, 经度, 纬度,
// WGS-84), all rows or none; the node names every bad row.

import { useCallback, useState } from 'react';
import { call, errorMessage } from '../../api/client';
import { useToast } from '../../state/toast';
import { useLiveQuery } from '../../lib/liveQuery';
import { readAsBase64 } from '../../lib/fileData';

export function PlacesPanel() {
  const toast = useToast();
  const count = useLiveQuery(useCallback(() => call('places.count', {}), []), { on: ['settings.changed'] });
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const importFile = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    setBusy(true);
    setProblem(null);
    try {
      const r = await call('places.import', { name: file.name, dataBase64: await readAsBase64(file) });
      toast.success(`地名表已导入：新增 ${r.added} 个，更新 ${r.updated} 个`);
      void count.reload();
    } catch (err) {
      setProblem(errorMessage(err));
    } finally {
      setBusy(false);
      input.value = '';
    }
  };

  return (
    <section className="card" data-testid="settings-places">
      <div className="card-head">
        <h3>地名库</h3>
        <label className="small-btn file-btn">
          {busy ? '导入中…' : '导入CSV/Excel'}
          <input type="file" accept=".csv,.xlsx" hidden disabled={busy} onChange={(e) => void importFile(e.currentTarget)} data-testid="places-import" />
        </label>
      </div>
      <p className="muted small">
        新建工单输入地址时，按地名库、重点部位、道路地标、网格名称和历史工单地址提示地点，选中即定位并判定网格。
        表头须为：名称、类型、地址、经度、纬度（WGS-84 坐标，须在本街道范围内）；有任何一行不合格则整表不导入。
      </p>
      <p data-testid="places-count">
        地名库现有 <strong>{count.data?.count ?? '—'}</strong> 个地点
      </p>
      {(problem || count.error) && (
        <div className="form-error" role="alert" data-testid="places-import-error">
          {problem ?? count.error}
        </div>
      )}
    </section>
  );
}
