// The list's bulk tools for the ticket rows the operator ticked: 批量派单 (to one unit), 批量催办,
// 打印 (the print view of the selection) and 导出Excel. Every action is one ordinary action per
// ticket in the node (tickets.bulkAct); what was refused is listed per ticket with its reason.

import { useState } from 'react';
import { URGE_DEFAULT_TEXT, type BulkActResult } from '../../shared/api/operatorTools';
import { call, errorMessage } from '../api/client';
import { saveFile } from '../lib/download';
import { ExportPdfButton } from './ExportPdf';
import { navigate } from '../lib/router';
import { useShortcut } from '../lib/shortcuts';
import type { Lookups } from '../state/session';
import { useToast } from '../state/toast';
import { Field } from './Form';
import { Modal } from './Modal';
import { UnitSelect } from './Pickers';
import { submitOnCtrlEnter } from './actions/parts';

export interface Picked {
  id: string;
  code: string;
}

type Dialog = null | 'dispatch' | 'urge';

export function BulkBar({ picked, lookups, canAct, onClear }: { picked: Picked[]; lookups: Lookups; canAct: boolean; onClear: () => void }) {
  const toast = useToast();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ what: string; r: BulkActResult } | null>(null);
  const ids = picked.map((p) => p.id);
  // D: 批量派单 for the ticked tickets.
  useShortcut('d', () => (setDialog('dispatch'), true), picked.length > 0 && canAct);

  const exportExcel = async () => {
    setBusy(true);
    try {
      const f = await call('tickets.export', { ids });
      saveFile(f);
      toast.success(`已导出 ${f.rows} 件工单（来电人信息已脱敏）`);
    } catch (e) {
      toast.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const done = (what: string, r: BulkActResult) => {
    setDialog(null);
    setResult({ what, r });
    if (r.failed.length === 0) toast.success(`${what}：${r.done.length} 件全部完成`);
    else toast.error(`${what}：${r.done.length} 件完成，${r.failed.length} 件未处理`);
    if (r.done.length) onClear();
  };

  return (
    <>
      {picked.length > 0 && (
        <div className="bulk-bar" data-testid="bulk-bar" role="toolbar" aria-label="批量操作">
          <span className="bulk-count" data-testid="bulk-count">
            已选 <strong>{picked.length}</strong> 件
          </span>
          {canAct && (
            <>
              <button type="button" disabled={busy} onClick={() => setDialog('dispatch')} data-testid="bulk-dispatch">
                批量派单
              </button>
              <button type="button" disabled={busy} onClick={() => setDialog('urge')} data-testid="bulk-urge">
                批量催办
              </button>
            </>
          )}
          <button type="button" disabled={busy} onClick={() => navigate(`/print?kind=dispatch&ids=${ids.join(',')}`)} data-testid="bulk-print-dispatch">
            打印派工单
          </button>
          <button type="button" disabled={busy} onClick={() => navigate(`/print?kind=full&ids=${ids.join(',')}`)} data-testid="bulk-print">
            打印工单
          </button>
          <ExportPdfButton ids={ids} kind="dispatch" disabled={busy} label="派工单PDF" testId="bulk-pdf-dispatch" />
          <ExportPdfButton ids={ids} kind="full" disabled={busy} label="工单PDF" testId="bulk-pdf" />
          <button type="button" disabled={busy} onClick={() => void exportExcel()} data-testid="bulk-export">
            导出Excel
          </button>
          <button type="button" className="link-btn" onClick={onClear} data-testid="bulk-clear">
            取消选择
          </button>
        </div>
      )}
      {result && <BulkResult what={result.what} r={result.r} onClose={() => setResult(null)} />}
      {dialog === 'dispatch' && <DispatchDialog ids={ids} lookups={lookups} onClose={() => setDialog(null)} onDone={(r) => done('批量派单', r)} />}
      {dialog === 'urge' && <UrgeDialog ids={ids} onClose={() => setDialog(null)} onDone={(r) => done('批量催办', r)} />}
    </>
  );
}

function BulkResult({ what, r, onClose }: { what: string; r: BulkActResult; onClose: () => void }) {
  return (
    <div className={`callout ${r.failed.length ? 'warn' : 'ok'} bulk-result`} data-testid="bulk-result">
      <div className="bulk-result-head">
        <strong>
          {what}：{r.done.length} 件完成{r.failed.length ? `，${r.failed.length} 件未处理` : ''}
        </strong>
        <button type="button" className="icon-btn" onClick={onClose} aria-label="关闭">
          ×
        </button>
      </div>
      {r.failed.length > 0 && (
        <ul className="bulk-failed" data-testid="bulk-failed">
          {r.failed.map((x) => (
            <li key={x.id}>
              <span className="mono">{x.code ?? x.id}</span>：{x.error}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function useBulkSubmit(onDone: (r: BulkActResult) => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (fn: () => Promise<BulkActResult>) => {
    setBusy(true);
    setError(null);
    try {
      onDone(await fn());
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, submit };
}

function DispatchDialog({ ids, lookups, onClose, onDone }: { ids: string[]; lookups: Lookups; onClose: () => void; onDone: (r: BulkActResult) => void }) {
  const [unitId, setUnitId] = useState<string | undefined>();
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const { busy, error, submit } = useBulkSubmit(onDone);
  return (
    <Modal title={`批量派单（${ids.length} 件）`} onClose={onClose} testId="bulk-dispatch-dialog">
      <form
        className="bulk-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!unitId) return setMissing(true);
          void submit(() => call('tickets.bulkAct', { ids, op: { action: 'dispatch', unitId, note: note.trim() || undefined } }));
        }}
      >
        <p className="muted small">所选工单逐件指定派给同一处置单位，每件工单各记一次派单；不能派单的工单（如未分类、状态不符）会逐件列出原因。</p>
        <Field label="处置单位" required error={missing ? '请选择处置单位' : undefined} wide>
          <UnitSelect units={lookups.units} value={unitId} onChange={(u) => (setUnitId(u), setMissing(false))} emptyLabel="请选择处置单位" testId="bulk-dispatch-unit" />
        </Field>
        <Field label="派单说明" wide hint="选填；Ctrl+Enter 提交">
          <textarea rows={2} maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} onKeyDown={submitOnCtrlEnter} data-testid="bulk-dispatch-note" />
        </Field>
        {error && <div className="callout error">{error}</div>}
        <div className="form-actions">
          <button type="button" onClick={onClose}>
            取消
          </button>
          <button type="submit" className="primary" disabled={busy} data-testid="bulk-dispatch-submit">
            {busy ? '派单中…' : `派单（${ids.length} 件）`}
          </button>
        </div>
      </form>
    </Modal>
  );
}

function UrgeDialog({ ids, onClose, onDone }: { ids: string[]; onClose: () => void; onDone: (r: BulkActResult) => void }) {
  const [text, setText] = useState(URGE_DEFAULT_TEXT);
  const [short, setShort] = useState(false);
  const { busy, error, submit } = useBulkSubmit(onDone);
  return (
    <Modal title={`批量催办（${ids.length} 件）`} onClose={onClose} testId="bulk-urge-dialog">
      <form
        className="bulk-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim().length < 2) return setShort(true);
          void submit(() => call('tickets.bulkAct', { ids, op: { action: 'urge', text: text.trim() } }));
        }}
      >
        <p className="muted small">催办内容记入每件工单的办理过程（进展备注，标注“催办”），处置单位在工单中可见。</p>
        <Field label="催办内容" required error={short ? '请填写催办内容' : undefined} wide hint="Ctrl+Enter 提交">
          <textarea rows={3} maxLength={500} value={text} onChange={(e) => (setText(e.target.value), setShort(false))} onKeyDown={submitOnCtrlEnter} data-testid="bulk-urge-text" />
        </Field>
        {error && <div className="callout error">{error}</div>}
        <div className="form-actions">
          <button type="button" onClick={onClose}>
            取消
          </button>
          <button type="submit" className="primary" disabled={busy} data-testid="bulk-urge-submit">
            {busy ? '催办中…' : `催办（${ids.length} 件）`}
          </button>
        </div>
      </form>
    </Modal>
  );
}
