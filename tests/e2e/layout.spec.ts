// Every page at the widths operators' screens have (1366, 1600, 1920): nothing overflows the page
// sideways and no button is cut off by its card. Screenshots go to test-results/e2e-shots/layout.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from './support/test';
import { login } from './support/session';

const SHOTS = path.resolve('test-results/e2e-shots/layout');
fs.mkdirSync(SHOTS, { recursive: true });
const PAGES = ['dashboard', 'tickets', 'new', 'map', 'supervision', 'whistle', 'reviews', 'runmode', 'settings'];

async function clipped(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${window.innerWidth}`);
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('.card button, .card input:not([type=checkbox]):not([type=radio]), .card select'))) {
      const card = el.closest<HTMLElement>('.card')!;
      const r = el.getBoundingClientRect();
      const c = card.getBoundingClientRect();
      if (r.width === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      // Inside a horizontally scrolling container the control is reachable by scrolling.
      let scroller: HTMLElement | null = el.parentElement;
      while (scroller && scroller !== card && getComputedStyle(scroller).overflowX !== 'auto') scroller = scroller.parentElement;
      const scrolls = !!scroller && getComputedStyle(scroller).overflowX === 'auto' && scroller.scrollWidth > scroller.clientWidth;
      if (!scrolls && (r.right > c.right + 1 || r.left < c.left - 1)) out.push(`${el.tagName.toLowerCase()} "${(el.textContent || (el as HTMLInputElement).placeholder || el.getAttribute('data-testid') || '').trim().slice(0, 20)}" sticks out of its card (${Math.round(r.right)} > ${Math.round(c.right)})`);
      if (el.tagName !== 'BUTTON' && r.width < 56) out.push(`${el.tagName.toLowerCase()} ${el.getAttribute('data-testid') ?? ''} squeezed to ${Math.round(r.width)} px`);
    }
    return out;
  });
}

for (const width of [1366, 1600, 1920]) {
  test(`every page fits at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: width === 1366 ? 768 : width === 1600 ? 900 : 1080 });
    await login(page, 'leader');
    const problems: string[] = [];
    for (const p of PAGES) {
      await page.goto(`/#/${p}`);
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(SHOTS, `${p}-${width}.png`), fullPage: true });
      for (const c of await clipped(page)) problems.push(`${p}: ${c}`);
    }
    expect(problems).toEqual([]);
  });
}
