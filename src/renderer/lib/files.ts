// Photo checks before upload (type, content, size, count) and the upload itself.

import { ATTACHMENT_LIMITS } from '../../shared/api/contract';
import type { AttachmentInfo } from '../../shared/api/types';
import { call } from '../api/client';
import { formatBytes } from './format';

const MIME_OK = new Set<string>(ATTACHMENT_LIMITS.mimeTypes);
const EXT_MIME: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };
export const ACCEPT_ATTR = '.jpg,.jpeg,.png,.webp,image/jpeg,image/png,image/webp';

/** Sniffs JPEG / PNG / WebP from the first bytes; null when none of them. */
function sniff(b: Uint8Array): string | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a)
    return 'image/png';
  if (
    b.length >= 12 &&
    String.fromCharCode(b[0]!, b[1]!, b[2]!, b[3]!) === 'RIFF' &&
    String.fromCharCode(b[8]!, b[9]!, b[10]!, b[11]!) === 'WEBP'
  )
    return 'image/webp';
  return null;
}

export interface CheckedFile {
  file: File;
  mime: string;
}

/**
 * Checks one file; returns a Chinese message for the user when it cannot be uploaded.
 * `already` is the number of photos already attached.
 */
export async function checkPhoto(file: File, already: number): Promise<{ ok: true; value: CheckedFile } | { ok: false; message: string }> {
  const name = file.name || '未命名文件';
  if (already >= ATTACHMENT_LIMITS.maxPerTicket)
    return { ok: false, message: `最多上传${ATTACHMENT_LIMITS.maxPerTicket}张照片，文件“${name}”未添加` };
  const ext = name.includes('.') ? name.split('.').pop()!.toLowerCase() : '';
  const declared = MIME_OK.has(file.type) ? file.type : EXT_MIME[ext];
  if (!declared) return { ok: false, message: `文件“${name}”不是图片（仅支持 JPG/PNG/WebP）` };
  if (file.size === 0) return { ok: false, message: `文件“${name}”是空文件` };
  if (file.size > ATTACHMENT_LIMITS.maxBytes)
    return {
      ok: false,
      message: `文件“${name}”大小为${formatBytes(file.size)}，超过${formatBytes(ATTACHMENT_LIMITS.maxBytes)}上限`,
    };
  const head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
  const real = sniff(head);
  if (!real) return { ok: false, message: `文件“${name}”内容不是有效的图片（仅支持 JPG/PNG/WebP）` };
  return { ok: true, value: { file, mime: real } };
}

function toBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => {
      const s = String(r.result);
      resolve(s.slice(s.indexOf(',') + 1));
    };
    r.onerror = () => reject(new Error('读取文件失败'));
    r.readAsDataURL(file);
  });
}

export async function uploadPhoto(f: CheckedFile): Promise<AttachmentInfo> {
  const dataBase64 = await toBase64(f.file);
  return call('attachments.upload', { name: f.file.name || 'photo', mime: f.mime, dataBase64 });
}
