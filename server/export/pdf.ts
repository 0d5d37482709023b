/**
 * PDF export: headless Chromium prints the standalone HTML export. Chromium gives the best
 * result of what runs here: real text layout and hyphenation-free justification, tables that
 * break across pages, fonts with every Spanish character, A4 with page numbers in the footer,
 * PDF bookmarks from the headings (`outline`) and a tagged, accessible PDF. A pure-JS library
 * (pdfkit) would mean re-implementing layout of tables and lists by hand.
 *
 * The page is loaded with JavaScript disabled and every request refused, so nothing in a
 * plan can make the browser fetch or run anything.
 */
import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';
import type { PlanModel } from './plan-model.ts';
import { exportPlanHtml, escapeHtml, type HtmlOptions } from './html.ts';
import { exportWords } from './words.ts';

/** Where Chromium is: CHROMIUM_PATH, or Debian's package. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

/** Raised when this machine cannot print PDFs; the route answers 503 with the message. */
export class PdfUnavailableError extends Error {
  readonly code = 'pdf_unavailable';
}

/** Write a plan as an A4 PDF with page numbers and bookmarks. */
export async function exportPlanPdf(model: PlanModel, options: HtmlOptions & { onProgress?: (fraction: number) => void }): Promise<Uint8Array> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new PdfUnavailableError(`PDF export needs Chromium at ${executablePath} (apt-get install chromium, or set CHROMIUM_PATH).`);
  }
  const html = exportPlanHtml(model, options);
  options.onProgress?.(0.2);
  const words = exportWords(model.lang);
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    options.onProgress?.(0.5);
    const footer = `<div style="font: 8pt Arial, sans-serif; color: #5b6470; width: 100%; text-align: center;">${escapeHtml(words.page)} <span class="pageNumber"></span> ${escapeHtml(words.of)} <span class="totalPages"></span></div>`;
    const pdf = await page.pdf({
      format: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: footer,
      margin: { top: '22mm', bottom: '20mm', left: '20mm', right: '20mm' },
      outline: true,
      tagged: true,
    });
    options.onProgress?.(1);
    return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  } finally {
    await browser.close();
  }
}
