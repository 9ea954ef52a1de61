// The shared rules of the 郑好拍 and 数字城管 intake: payload schemas, the photo signature check and
// the GB/T 30428 code mapping (小类 first, then 大类).
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { dcmCase, sniffPhoto, zhpReport } from '../../src/shared/intake/citizenReports';
import { caseCodeMapPayload, mapCaseCode } from '../../src/shared/intake/caseCodes';
import { referenceProblems } from '../../src/shared/sync/reference';
import { DEFAULT_CASE_CODES_FILE } from '../../src/city/intake/digitalCity';

const photo = { mime: 'image/jpeg', data: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]).toString('base64') };

describe('intake payloads', () => {
  it('a 郑好拍 report needs a phone, a photo and a place; the time may be ISO', () => {
    const ok = zhpReport.safeParse({ reportId: 'ZHP-1', text: '井盖缺失很危险', address: '经八路街道体育场东门', phone: '13812345678', photos: [photo], reportedAt: '2026-12-03T09:00:00+08:00' });
    expect(ok.success && ok.data.reportedAt).toBe(Date.parse('2026-12-03T09:00:00+08:00'));
    const issues = (x: Record<string, unknown>) => {
      const r = zhpReport.safeParse({ reportId: 'ZHP-1', text: '井盖缺失很危险', point: { lon: 113.67, lat: 34.77 }, phone: '13812345678', photos: [photo], reportedAt: 1764723600000, ...x });
      return r.success ? [] : r.error.issues.map((i) => i.message);
    };
    expect(issues({ phone: '0371-1234567' })).toEqual(['手机号格式不正确']);
    expect(issues({ photos: [] })).toEqual(['至少一张照片']);
    expect(issues({ point: undefined })).toEqual(['须提供位置（point）或地址（address）']);
    expect(issues({ reportId: '../etc' })).toHaveLength(1);
    expect(issues({ photos: [{ mime: 'image/gif', data: photo.data }] })).toHaveLength(1);
  });

  it('a 数字城管 case code is 大类 + 小类, four digits', () => {
    const base = { caseId: 'SZCG-1', classKind: 'component', text: '井盖缺失', address: '经八路街道', reportedAt: 1764723600000 };
    expect(dcmCase.safeParse({ ...base, code: '0101' }).success).toBe(true);
    expect(dcmCase.safeParse({ ...base, code: '01' }).success).toBe(false);
    expect(dcmCase.safeParse({ ...base, code: '0101', classKind: 'thing' }).success).toBe(false);
  });

  it('photos are recognised by their bytes', () => {
    expect(sniffPhoto(Buffer.from([0xff, 0xd8, 0xff, 0]))).toBe('image/jpeg');
    expect(sniffPhoto(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffPhoto(Buffer.from('RIFF0000WEBPVP8 '))).toBe('image/webp');
    expect(sniffPhoto(Buffer.from('<svg></svg>'))).toBeNull();
  });
});

describe('数字城管编码对照表', () => {
  const map = caseCodeMapPayload.parse({
    version: 't1',
    entries: [
      { kind: 'component', code: '0101', name: '上水井盖', category: '0601', nameSource: 'standard' },
      { kind: 'component', code: '01', name: '公用设施', category: '0608', nameSource: 'standard' },
      { kind: 'event', code: '0101', name: '暴露垃圾', category: '0101' },
    ],
  });

  it('maps a 小类 by its own entry, else by its 大类, and keeps events and components apart', () => {
    expect(mapCaseCode(map, 'component', '0101')?.category).toBe('0601');
    expect(mapCaseCode(map, 'component', '0199')?.category).toBe('0608');
    expect(mapCaseCode(map, 'event', '0101')?.category).toBe('0101');
    expect(mapCaseCode(map, 'event', '0102')).toBeNull();
  });

  it('refuses a table with a duplicate class; the shipped default is a valid table', () => {
    expect(referenceProblems('caseCodeMap', { version: 'd', entries: [map.entries[0], map.entries[0]] })).toEqual(['编码重复：部件 0101']);
    expect(referenceProblems('caseCodeMap', JSON.parse(fs.readFileSync(DEFAULT_CASE_CODES_FILE, 'utf8')))).toEqual([]);
  });
});
