// HTML to PDF with Chromium's print (Playwright's page.pdf; Electron would use printToPDF). The
// browser is the system's Chromium (CHROMIUM_PATH, default /usr/bin/chromium) with its CJK fonts;
// the page is set as content, so nothing is fetched from the network.

import fs from 'node:fs';
import { AppError } from '../core/errors';

export async function htmlToPdf(html: string): Promise<Buffer> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) throw new AppError('pdfUnavailable', '本机未找到Chromium浏览器，无法生成PDF，请改为导出Excel', { detail: `no chromium at ${executablePath}` });
  // Loaded on demand: only report printing needs a browser.
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  try {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    return Buffer.from(pdf);
  } finally {
    await browser.close();
  }
}
