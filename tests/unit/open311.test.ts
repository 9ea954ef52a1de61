// Open311 pieces without a server: XML escaping and characters XML cannot carry, point → street on
// the real outlines (inside, on a shared border, outside), times in Zhengzhou's offset, status notes.
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { xmlOf } from '../../src/city/open311/format';
import { StreetLocator } from '../../src/city/open311/streets';
import { isoCity, parseDate, statusNote } from '../../src/city/open311/api';

describe('open311 XML', () => {
  it('escapes markup and drops characters XML 1.0 cannot carry; a parser reads the text back', () => {
    const nasty = '<script>alert("x")</script> & \'引号\' ]]> \u0001bell';
    const xml = xmlOf('service_requests', [{ description: nasty, lat: 34.7, status: 'open', media_url: null }]);
    expect(xml).not.toContain('<script>');
    const back = new XMLParser({ parseTagValue: false }).parse(xml);
    expect(back.service_requests.request).toEqual({ description: nasty.replace('\u0001', ''), lat: '34.7', status: 'open', media_url: '' });
  });
});

describe('open311 point → street', () => {
  const loc = StreetLocator.fromFile();
  it('finds the street containing a point, and none outside the city', () => {
    expect(loc.size).toBe(160);
    expect(loc.locate(113.6702, 34.7752)).toEqual({ code: '410105001', name: '经八路街道' });
    expect(loc.locate(113.69, 34.774)).toEqual({ code: '410105002', name: '花园路街道' });
    expect(loc.locate(116.4074, 39.9042)).toBeNull();
    expect(loc.locate(NaN, 34.7)).toBeNull();
  });
  it('a point on the border two streets share gets exactly one of them', () => {
    // 经八路 and 花园路 share the edge (113.675285, 34.770338)–(113.675698, 34.779225).
    const t = 0.5;
    const lon = 113.675285 + t * (113.675698 - 113.675285);
    const lat = 34.770338 + t * (34.779225 - 34.770338);
    expect(loc.locate(lon, lat)).toEqual({ code: '410105001', name: '经八路街道' });
  });
  it('a street named in an address', () => {
    expect(loc.byAddress('金水区花园路街道纬五路社区3号院')?.code).toBe('410105002');
    expect(loc.byAddress('某路某号')).toBeNull();
  });
});

describe('open311 times and notes', () => {
  it('ISO 8601 in +08:00; dates without an offset are Zhengzhou time', () => {
    expect(isoCity(Date.parse('2026-11-23T02:00:00Z'))).toBe('2026-11-23T10:00:00+08:00');
    expect(parseDate('start_date', '2026-11-23')).toBe(Date.parse('2026-11-23T00:00:00+08:00'));
    expect(parseDate('start_date', '2026-11-23T10:00')).toBe(Date.parse('2026-11-23T10:00:00+08:00'));
    expect(parseDate('start_date', '2026-11-23T02:00:00Z')).toBe(Date.parse('2026-11-23T10:00:00+08:00'));
    expect(() => parseDate('start_date', '23/11/2026')).toThrow(/start_date/);
  });
  it('the latest step in Chinese', () => {
    const t = { status: 'cancelled', result: null };
    expect(statusNote({ action: 'cancel', to_status: 'cancelled', data: { input: { reason: '重复诉求' } } }, t, '经八路街道')).toBe('诉求已作废：重复诉求');
    expect(statusNote({ action: 'verify', to_status: 'reopened', data: '{"input":{"passed":false,"reason":"灯仍不亮"}}' }, t, '经八路街道')).toBe('核查未通过，已重新办理：灯仍不亮');
    expect(statusNote(undefined, { status: 'accepted', result: null }, '经八路街道')).toBe('处置中');
  });
});
