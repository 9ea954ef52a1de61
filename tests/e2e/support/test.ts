// The `test` every e2e spec uses: a console error or an uncaught page error in any page of the
// test — in the default context or in one the spec opens itself (browser.newContext) — fails the
// test, with the messages. AG Grid reports a missing module or a bad option only on the console
// (error #200), so this is how such mistakes fail the run.
//
// After a failed test the shared e2e street is disconnected from any city (through its API, as the
// demo leader), so that one failure does not leave the next city spec starting from a dead city.
//
// A spec that deliberately provokes a refused request (the node answers 4xx and Chromium logs
// "Failed to load resource") says so with `consoleErrors.allow(/status of 409/)`, as narrowly as it can.
import { test as base, expect, type BrowserContext } from '@playwright/test';
import { postApi } from './session';

export interface ConsoleErrors {
  /** Tolerates console errors matching the pattern for the rest of this test. */
  allow(pattern: RegExp): void;
  /** The errors seen so far (for a spec that asserts on them itself). */
  readonly seen: readonly string[];
}

export const test = base.extend<{ consoleErrors: ConsoleErrors; streetAfterFailure: void }>({
  streetAfterFailure: [
    async ({ request }, use, testInfo) => {
      await use();
      if (testInfo.status === testInfo.expectedStatus) return;
      const post = <T>(method: string, body: unknown, token?: string) => postApi<T>(request, method, body, token);
      const demo = await post<{ username: string; password: string }[]>('session.demoUsers', {});
      const leader = demo.find((u) => u.username === 'leader');
      if (!leader) throw new Error('no demo leader to disconnect the street with');
      const { token } = await post<{ token: string }>('session.login', { username: leader.username, password: leader.password });
      const settings = await post<unknown>('sync.settings', {}, token);
      if (settings) await post('sync.configure', { disable: true }, token);
      await post('session.logout', {}, token);
    },
    { auto: true },
  ],
  consoleErrors: [
    async ({ context, browser }, use) => {
      const seen: string[] = [];
      const allowed: RegExp[] = [];
      const watched = new WeakSet<BrowserContext>();
      const watch = (ctx: BrowserContext) => {
        if (watched.has(ctx)) return;
        watched.add(ctx);
        ctx.on('console', (m) => {
          if (m.type() !== 'error') return;
          const where = m.location().url ? ` (${m.location().url}:${m.location().lineNumber})` : '';
          const text = `console.error: ${m.text()}${where}`;
          if (!allowed.some((r) => r.test(text))) seen.push(text);
        });
        ctx.on('weberror', (e) => seen.push(`pageerror: ${e.error().message}`));
      };
      watch(context);
      // Contexts the spec opens itself are watched too.
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...args: Parameters<typeof browser.newContext>) => {
        const ctx = await newContext(...args);
        watch(ctx);
        return ctx;
      };
      try {
        await use({ allow: (r) => allowed.push(r), seen });
      } finally {
        browser.newContext = newContext;
      }
      expect(seen, 'console errors or uncaught page errors during the test').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
export type { Browser, Page, TestInfo, Locator } from '@playwright/test';
