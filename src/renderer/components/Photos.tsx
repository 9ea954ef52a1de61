// Photos: thumbnails with a lightbox, and an uploader that checks files before sending them.

import { useEffect, useRef, useState } from 'react';
import { ATTACHMENT_LIMITS } from '../../shared/api/contract';
import type { TicketAttachment } from '../../shared/api/types';
import { errorMessage, fileUrl } from '../api/client';
import { ACCEPT_ATTR, checkPhoto, uploadPhoto } from '../lib/files';
import { formatBytes, formatDateTime } from '../lib/format';

export function PhotoStrip({ photos, emptyText, testId }: { photos: TicketAttachment[]; emptyText: string; testId?: string }) {
  const [open, setOpen] = useState<number | null>(null);
  if (photos.length === 0) return <div className="muted small">{emptyText}</div>;
  return (
    <>
      <div className="thumbs" data-testid={testId}>
        {photos.map((p, i) => (
          <button type="button" key={p.sha256} className="thumb" onClick={() => setOpen(i)} title={`${p.name}（${formatBytes(p.size)}）`}>
            <img src={fileUrl(p.sha256)} alt={p.name} loading="lazy" />
          </button>
        ))}
      </div>
      {open != null && <Lightbox photos={photos} index={open} onIndex={setOpen} onClose={() => setOpen(null)} />}
    </>
  );
}

function Lightbox({
  photos,
  index,
  onIndex,
  onClose,
}: {
  photos: TicketAttachment[];
  index: number;
  onIndex: (i: number) => void;
  onClose: () => void;
}) {
  const p = photos[index];
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        onClose();
      } else if (e.key === 'ArrowRight') onIndex(Math.min(index + 1, photos.length - 1));
      else if (e.key === 'ArrowLeft') onIndex(Math.max(index - 1, 0));
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [index, photos.length, onClose, onIndex]);
  if (!p) return null;
  return (
    <div className="lightbox" onClick={onClose} data-testid="lightbox">
      <img src={fileUrl(p.sha256)} alt={p.name} onClick={(e) => e.stopPropagation()} />
      <div className="lightbox-bar" onClick={(e) => e.stopPropagation()}>
        <button type="button" disabled={index === 0} onClick={() => onIndex(index - 1)}>
          ‹ 上一张
        </button>
        <span>
          {index + 1} / {photos.length} · {p.kind === 'after' ? '处置后' : '处置前'} · {p.name} · {formatBytes(p.size)} ·{' '}
          {formatDateTime(p.addedAt)}
        </span>
        <button type="button" disabled={index === photos.length - 1} onClick={() => onIndex(index + 1)}>
          下一张 ›
        </button>
        <button type="button" onClick={onClose}>
          关闭
        </button>
      </div>
    </div>
  );
}

export interface UploadedPhoto {
  sha256: string;
  name: string;
  size: number;
  /** Local preview (blob: URL). */
  preview: string;
}

/** Picks, checks and uploads photos; the parent keeps the list of uploaded sha256. */
export function PhotoUploader({
  value,
  onChange,
  onBusy,
  testId = 'photos',
}: {
  value: UploadedPhoto[];
  onChange: (v: UploadedPhoto[]) => void;
  onBusy?: (busy: boolean) => void;
  testId?: string;
}) {
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const current = useRef(value);
  current.current = value;

  useEffect(() => onBusy?.(busy > 0), [busy, onBusy]);
  // Release previews on unmount.
  useEffect(() => () => current.current.forEach((p) => URL.revokeObjectURL(p.preview)), []);

  const addFiles = async (files: File[]) => {
    const msgs: string[] = [];
    let count = current.current.length;
    const accepted = [];
    for (const f of files) {
      const r = await checkPhoto(f, count);
      if (!r.ok) msgs.push(r.message);
      else {
        accepted.push(r.value);
        count++;
      }
    }
    setProblems(msgs);
    if (accepted.length === 0) return;
    setBusy((b) => b + accepted.length);
    for (const f of accepted) {
      try {
        const info = await uploadPhoto(f);
        if (current.current.some((p) => p.sha256 === info.sha256)) {
          msgs.push(`照片“${f.file.name}”已添加过`);
        } else {
          const next = [...current.current, { sha256: info.sha256, name: f.file.name, size: f.file.size, preview: URL.createObjectURL(f.file) }];
          current.current = next;
          onChange(next);
        }
      } catch (e) {
        msgs.push(`照片“${f.file.name}”上传失败：${errorMessage(e)}`);
      } finally {
        setBusy((b) => b - 1);
        setProblems([...msgs]);
      }
    }
  };

  const remove = (sha: string) => {
    const p = value.find((x) => x.sha256 === sha);
    if (p) URL.revokeObjectURL(p.preview);
    onChange(value.filter((x) => x.sha256 !== sha));
  };

  const full = value.length >= ATTACHMENT_LIMITS.maxPerTicket;
  return (
    <div className="uploader">
      <div className="thumbs">
        {value.map((p) => (
          <div className="thumb uploaded" key={p.sha256} title={`${p.name}（${formatBytes(p.size)}）`}>
            <img src={p.preview} alt={p.name} />
            <button type="button" className="thumb-remove" aria-label={`移除${p.name}`} data-testid={`${testId}-remove`} onClick={() => remove(p.sha256)}>
              ×
            </button>
          </div>
        ))}
        {busy > 0 && (
          <div className="thumb pending">
            <span className="spinner" />
            <span className="small">上传中</span>
          </div>
        )}
        {!full && (
          <button type="button" className="thumb add" onClick={() => input.current?.click()} data-testid={`${testId}-add`}>
            <span className="plus">＋</span>
            <span className="small">添加照片</span>
          </button>
        )}
      </div>
      <input
        ref={input}
        type="file"
        multiple
        accept={ACCEPT_ATTR}
        hidden
        data-testid={`${testId}-input`}
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = '';
          if (files.length) void addFiles(files);
        }}
      />
      <div className="field-hint">
        支持 JPG/PNG/WebP，单张不超过{formatBytes(ATTACHMENT_LIMITS.maxBytes)}，最多{ATTACHMENT_LIMITS.maxPerTicket}张（已添加{value.length}张）
      </div>
      {problems.length > 0 && (
        <ul className="upload-problems" data-testid={`${testId}-error`} role="alert">
          {problems.map((m, i) => (
            <li key={i}>{m}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
