// The before/after photo check a verifier sees: the verdict of the photo model (same scene,
// problem gone, photo not reused) and the before and after photos side by side.

import { useCallback, useEffect } from 'react';
import type { PhotoCheck } from '../../shared/api/aiPhoto';
import type { TicketDetail } from '../../shared/api/types';
import { call, fileUrl } from '../api/client';
import { useLiveQuery } from '../lib/liveQuery';

const STATUS_LABEL: Record<PhotoCheck['status'], string> = {
  passed: '照片核验通过',
  failed: '照片核验未通过',
  unavailable: '照片核验未能进行',
  incomplete: '照片不全，未核验',
};

export function PhotoCheckPanel({ detail, onCheck }: { detail: TicketDetail; onCheck?: (c: PhotoCheck | null) => void }) {
  const { id, version } = detail.ticket;
  // Checked again whenever the ticket moves on (a new after photo, a verification).
  const { data, error } = useLiveQuery(
    useCallback(() => call('aiPhoto.check', { ticketId: id }).then((check) => ({ check, version })), [id, version]),
    null,
  );
  useEffect(() => {
    if (data) onCheck?.(data.check);
  }, [data, onCheck]);

  if (error) return <div className="callout warn small">照片核验：{error}</div>;
  if (!data) return <div className="muted small">正在比对处置前后照片…</div>;
  const check = data.check;
  if (check === null) return null;
  const before = check.beforePhotos[0];
  const after = check.afterPhotos[0];
  const tone = check.status === 'passed' ? 'good' : check.status === 'failed' ? 'bad' : 'warn';
  return (
    <div className={`ai-check ai-check-${tone}`} data-testid="photo-check">
      <div className="ai-check-head">
        <strong data-testid="photo-check-status">{STATUS_LABEL[check.status]}</strong>
        {check.similarity != null && <span className="muted small">现场相似度 {Math.round(check.similarity * 100)}%</span>}
      </div>
      {check.reasons.length > 0 && (
        <ul className="ai-check-reasons" data-testid="photo-check-reasons">
          {check.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
      {check.status === 'passed' && <div className="small">同一现场，未见问题，照片非重复使用。</div>}
      {check.reasonRequired && detail.ticket.status === 'resolved' && <div className="small ai-check-need">如确认通过，须在核查意见中说明理由。</div>}
      {before && after && (
        <div className="ai-check-pair" data-testid="photo-check-pair">
          <figure>
            <img src={fileUrl(before)} alt="处置前" />
            <figcaption>处置前</figcaption>
          </figure>
          <figure>
            <img src={fileUrl(after)} alt="处置后" />
            <figcaption>处置后</figcaption>
          </figure>
        </div>
      )}
    </div>
  );
}
