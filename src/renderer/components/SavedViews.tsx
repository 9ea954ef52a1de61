// 我的视图: the list's current filters saved under a name (per user, in the street's store), opened
// again from this menu, and pinned to the dashboard (工作台 shows each pinned view with its count).

import { useCallback, useRef, useState } from 'react';
import { useAction } from '../lib/action';
import { useDismiss } from '../lib/dismiss';
import { useLiveQuery } from '../lib/liveQuery';
import { VIEW_NAME_MAX, type SavedView } from '../../shared/api/operatorTools';
import { call, errorMessage } from '../api/client';
import { navigate } from '../lib/router';
import { useToast } from '../state/toast';
import { Field } from './Form';
import { Modal } from './Modal';

export function SavedViewsMenu({ query }: { query: string }) {
  const toast = useToast();
  // The user's own views change only from this menu (and the dashboard's pins, which reload it on open).
  const list = useLiveQuery(useCallback(() => call('views.list', {}), []), null);
  const views = list.data;
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const wrap = useRef<HTMLDivElement>(null);
  const { run } = useAction<unknown>();

  const closePopup = useCallback(() => setOpen(false), []);
  useDismiss(open, wrap, closePopup);

  const pin = async (v: SavedView) => {
    if (await run(() => call('views.save', { id: v.id, name: v.name, query: v.query, pinned: !v.pinned }), v.pinned ? `已从工作台取下“${v.name}”` : `已将“${v.name}”固定到工作台`)) await list.reload();
  };
  const remove = async (v: SavedView) => {
    if (!window.confirm(`删除视图“${v.name}”？`)) return;
    if (await run(() => call('views.delete', { id: v.id }), `已删除视图“${v.name}”`)) await list.reload();
  };

  return (
    <div className="views-menu" ref={wrap}>
      <button type="button" onClick={() => setSaving(true)} data-testid="view-save" title="把当前筛选条件保存为视图">
        保存视图
      </button>
      <button type="button" onClick={() => setOpen((o) => !o)} data-testid="views-open" aria-expanded={open}>
        我的视图{views && views.length ? `（${views.length}）` : ''} ▾
      </button>
      {open && (
        <div className="views-pop" role="menu" data-testid="views-pop">
          {list.error ? (
            <div className="error small views-empty" role="alert">
              {list.error}
            </div>
          ) : !views || views.length === 0 ? (
            <div className="muted small views-empty">还没有保存的视图。设好筛选条件后点“保存视图”。</div>
          ) : (
            views.map((v) => (
              <div key={v.id} className={`views-item${v.query === query ? ' current' : ''}`} data-testid="view-item">
                <button
                  type="button"
                  className="views-name"
                  role="menuitem"
                  onClick={() => {
                    setOpen(false);
                    navigate(v.query ? `/tickets?${v.query}` : '/tickets');
                  }}
                >
                  {v.name}
                </button>
                <button type="button" className={`small-btn${v.pinned ? ' on' : ''}`} onClick={() => void pin(v)} data-testid="view-pin" title={v.pinned ? '从工作台取下' : '固定到工作台'}>
                  {v.pinned ? '已固定' : '固定到工作台'}
                </button>
                <button type="button" className="small-btn danger-ghost" onClick={() => void remove(v)} aria-label={`删除视图${v.name}`}>
                  删除
                </button>
              </div>
            ))
          )}
        </div>
      )}
      {saving && (
        <SaveViewDialog
          query={query}
          onClose={() => setSaving(false)}
          onSaved={(v) => {
            setSaving(false);
            toast.success(v.pinned ? `视图“${v.name}”已保存并固定到工作台` : `视图“${v.name}”已保存`);
            void list.reload();
          }}
        />
      )}
    </div>
  );
}

function SaveViewDialog({ query, onClose, onSaved }: { query: string; onClose: () => void; onSaved: (v: SavedView) => void }) {
  const [name, setName] = useState('');
  const [pinned, setPinned] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Modal title="保存当前筛选为视图" onClose={onClose} width={440} testId="view-save-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!name.trim()) return setError('请填写视图名称');
          setBusy(true);
          call('views.save', { name: name.trim(), query, pinned })
            .then(onSaved)
            .catch((err) => setError(errorMessage(err)))
            .finally(() => setBusy(false));
        }}
      >
        <Field label="视图名称" required error={error ?? undefined} wide>
          <input value={name} maxLength={VIEW_NAME_MAX} onChange={(e) => (setName(e.target.value), setError(null))} placeholder="如：超期井盖、待签收（城管）" data-testid="view-name" />
        </Field>
        <label className="check">
          <input type="checkbox" checked={pinned} onChange={(e) => setPinned(e.target.checked)} data-testid="view-pinned" /> 固定到工作台（显示件数，点击打开列表）
        </label>
        <p className="muted small">筛选条件：{query ? decodeURIComponent(query.replace(/\+/g, ' ')) : '全部工单'}</p>
        <div className="form-actions">
          <button type="button" onClick={onClose}>
            取消
          </button>
          <button type="submit" className="primary" disabled={busy} data-testid="view-save-submit">
            保存
          </button>
        </div>
      </form>
    </Modal>
  );
}
