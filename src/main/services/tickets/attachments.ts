// Content-addressed attachments: files named by their sha256 beside the database, written
// atomically (temp file + rename) before the row that refers to them is committed.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ATTACHMENT_LIMITS } from '../../../shared/api/contract';
import type { AttachmentInfo } from '../../../shared/api/types';
import type { NodeContext } from '../core/context';
import { AppError } from '../core/errors';

/** Detects the image type from the file's first bytes; the declared MIME type is not trusted. */
export function sniffImage(buf: Buffer): 'image/jpeg' | 'image/png' | 'image/webp' | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (buf.length >= 12 && buf.toString('ascii', 0, 4) === 'RIFF' && buf.toString('ascii', 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

export function attachmentPath(ctx: NodeContext, sha256: string): string {
  return path.join(ctx.store.attachmentsDir, sha256.slice(0, 2), sha256);
}

export async function saveAttachment(ctx: NodeContext, name: string, data: Buffer): Promise<AttachmentInfo> {
  if (data.length === 0) throw new AppError('emptyFile', `文件“${name}”是空的`);
  if (data.length > ATTACHMENT_LIMITS.maxBytes)
    throw new AppError('fileTooLarge', `照片“${name}”超过10MB（${(data.length / 1048576).toFixed(1)}MB）`);
  const mime = sniffImage(data);
  if (!mime) throw new AppError('notImage', `文件“${name}”不是图片（仅支持 JPG/PNG/WebP）`, { detail: `attachment ${name}: unrecognised magic bytes` });
  const sha256 = crypto.createHash('sha256').update(data).digest('hex');
  const file = attachmentPath(ctx, sha256);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  }
  const info = { sha256, mime, size: data.length, name: name.slice(0, 200) };
  await ctx.store.db
    .insertInto('attachments')
    .values({ ...info, created_at: ctx.now() })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
  return info;
}

export function decodeBase64(b64: string): Buffer {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw new AppError('badFile', '文件数据损坏，请重新选择');
  return Buffer.from(b64, 'base64');
}
