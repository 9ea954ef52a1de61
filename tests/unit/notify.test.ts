// The Electron shell's notification requests from the renderer are checked before a system
// notification is shown: only well-formed ones with an in-app link.
import { describe, expect, it } from 'vitest';
import { parseNotifyRequest } from '../../src/main/app/notify';

describe('notification request over IPC', () => {
  it('accepts a title, a body and an in-app path', () => {
    expect(parseNotifyRequest({ title: '新派单待签收 JB-20261203-0001', body: '路灯不亮', href: '/tickets/01a2-ff' })).toEqual({ title: '新派单待签收 JB-20261203-0001', body: '路灯不亮', href: '/tickets/01a2-ff' });
    expect(parseNotifyRequest({ title: '收到市级指令', body: '', href: '/directives' })).toMatchObject({ body: '' });
  });
  it('refuses anything else', () => {
    for (const bad of [
      null,
      'x',
      42,
      {},
      { title: '', body: 'b', href: '/x' },
      { title: 't', body: 'b' },
      { title: 't', body: 'b', href: 'https://evil.example/' },
      { title: 't', body: 'b', href: 'javascript:alert(1)' },
      { title: 't', body: 'b', href: '//evil.example/' },
      { title: 't', body: 'b', href: '/x"><script>' },
      { title: 'x'.repeat(201), body: 'b', href: '/x' },
      { title: 't', body: 'x'.repeat(501), href: '/x' },
      { title: 't', body: 3, href: '/x' },
    ])
      expect(parseNotifyRequest(bad), JSON.stringify(bad)).toBeNull();
  });
});
