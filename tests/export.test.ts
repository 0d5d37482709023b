import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import mammoth from 'mammoth';
import { extractText, getDocumentProxy } from 'unpdf';
import type { JSONContent } from '@tiptap/core';
import { sovioTemplate } from '../shared/template.ts';
import { encodePlanContent } from '../shared/plan-doc.ts';
import { signIn } from './helpers/http.ts';
import { removeDir, ROOT, startTestServer, tempDataDir, type TestServer } from './helpers/server.ts';
import { addCommentThread, appendLinkParagraph, suggestDeletion, suggestInsertion } from './helpers/plan-fixtures.ts';
import { docxComments, docxCommentedText, docxHyperlinks, docxParagraphs, docxParts, docxTableCells, docxTrackedChanges } from './helpers/docx-reader.ts';

let server: TestServer;
const LINK = { label: 'sitio de la RIAL', href: 'https://www.rialnet.org/es' };
const REVIEWER = { id: 'u-oea', name: 'Revisora OEA', delegation: 'OEA', color: '#336699' };
const SUGGESTER = { suggestionId: 's-1', authorId: 'u-pa', authorName: 'Equipo Orienta Panamá', color: '#aa5500', createdAt: '2024-07-10T15:00:00.000Z' };

/** Headings, list items and table cells of the sample template, as the editor holds them. */
function templateOutline() {
  const headings: Array<{ level: number; text: string }> = [];
  const items: string[] = [];
  const cells: string[] = [];
  const text = (node: JSONContent): string => (node.text ?? '') + (node.content ?? []).map(text).join('');
  const walk = (node: JSONContent, inList: boolean, inTable: boolean): void => {
    if (node.type === 'heading') headings.push({ level: node.attrs!.level, text: text(node) });
    if (node.type === 'paragraph' && inList) items.push(text(node));
    if ((node.type === 'tableCell' || node.type === 'tableHeader') && inTable) cells.push(text(node));
    for (const child of node.content ?? []) walk(child, inList || node.type === 'listItem', inTable || node.type === 'table');
  };
  walk(sovioTemplate(), false, false);
  return { headings, items, cells };
}

async function download(path: string, token: string): Promise<{ status: number; bytes: Uint8Array; headers: Headers; json: any }> {
  const response = await fetch(new URL(path, server.url), { headers: { authorization: `Bearer ${token}` } });
  const bytes = new Uint8Array(await response.arrayBuffer());
  let json: any = null;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    /* a file */
  }
  return { status: response.status, bytes, headers: response.headers, json };
}

beforeAll(async () => {
  server = await startTestServer();
  // What only the server can write: a comment thread, suggestions and a link, in the live plan.
  await server.collab.changeDocument(server.documentId, (doc) => {
    addCommentThread(doc, {
      id: 'thread-1',
      quote: 'extraer buenas prácticas',
      messages: [
        { author: REVIEWER, body: '¿Cuáles prácticas concretamente?', at: '2024-06-07T14:00:00.000Z' },
        { author: { ...REVIEWER, id: 'u-mtpe', name: 'Especialista MTPE', delegation: 'Perú · MTPE' }, body: 'Las del informe de Orienta Panamá.', at: '2024-06-08T09:30:00.000Z' },
      ],
    });
    suggestInsertion(doc, 'Retroalimentación y asesoría', ' personalizada', SUGGESTER);
    suggestDeletion(doc, 'de manera virtual', { ...SUGGESTER, suggestionId: 's-2' });
    appendLinkParagraph(doc, 'Más información en el ', LINK.label, LINK.href);
  });
});
afterAll(async () => {
  await server?.stop();
  if (server) removeDir(server.dataDir);
});

describe('DOCX export', () => {
  it('round-trips the sample plan: every heading as a Word heading style, list item, table cell, link, comment and tracked change', async () => {
    const viewer = await server.invite('viewer');
    const res = await download(`/api/documents/${server.documentId}/export?format=docx&comments=1&suggestions=1`, viewer.token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('wordprocessingml');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="plan-de-trabajo.*\.docx"/);

    const parts = docxParts(res.bytes);
    const body = parts['word/document.xml'];
    const paragraphs = docxParagraphs(body);
    const outline = templateOutline();

    // Headings carry Word's built-in heading styles, which have outline levels (navigation pane).
    const headings = paragraphs.filter((p) => /^Heading\d$/.test(p.style ?? '')).map((p) => ({ level: Number(p.style!.slice(7)), text: p.text }));
    expect(headings).toEqual(outline.headings);
    for (const level of [1, 2, 3]) expect(parts['word/styles.xml']).toMatch(new RegExp(`w:styleId="Heading${level}"><w:name w:val="Heading ${level}"/>[\\s\\S]*?<w:outlineLvl w:val="${level - 1}"/>`));

    // Title page: plan name, "Plan actual" and a date, before the body.
    expect(paragraphs[0]).toMatchObject({ style: 'Title', text: 'Plan de Trabajo para la mejora del SOVIO' });
    expect(paragraphs[1].text).toBe('Plan actual');

    const listed = paragraphs.filter((p) => p.numbered).map((p) => p.text);
    expect(listed).toEqual(outline.items.map((item) => (item === 'Retroalimentación y asesoría.' ? 'Retroalimentación y asesoría personalizada.' : item)));
    expect(docxTableCells(body).flat()).toEqual(outline.cells);
    expect(body).toContain('<w:tblHeader/>');

    expect(docxHyperlinks(parts)).toContainEqual({ text: LINK.label, target: LINK.href });

    const comments = docxComments(parts);
    expect(comments.map((c) => c.author)).toEqual(['Revisora OEA', 'Especialista MTPE']);
    expect(comments[0].text).toContain('¿Cuáles prácticas concretamente?');
    expect(parts['word/commentsExtended.xml']).toContain('w15:paraIdParent');
    expect(docxCommentedText(body, comments[0].id)).toBe('extraer buenas prácticas');

    const changes = docxTrackedChanges(body);
    expect(changes).toContainEqual({ kind: 'ins', author: 'Equipo Orienta Panamá', date: '2024-07-10T15:00:00Z', text: ' personalizada' });
    expect(changes).toContainEqual({ kind: 'del', author: 'Equipo Orienta Panamá', date: '2024-07-10T15:00:00Z', text: 'de manera virtual' });

    // An independent reader (mammoth) sees the same outline, lists, table and link.
    const html = (await mammoth.convertToHtml({ buffer: Buffer.from(res.bytes) })).value;
    for (const heading of outline.headings) expect(html).toContain(`<h${heading.level}>${heading.text}</h${heading.level}>`);
    expect(html).toContain('<li>Ferias vocacionales.</li>');
    expect(html).toContain('<ol><li>Servicio de orientación e información.</li>');
    expect(html).toContain(`<a href="${LINK.href}">${LINK.label}</a>`);
    expect(html).toContain('Dirección de Formación para el Empleo');
  });

  it('leaves comments out and reads as the plan stands without its suggestions when asked', async () => {
    const viewer = await server.invite('viewer');
    const res = await download(`/api/documents/${server.documentId}/export?format=docx&comments=0&suggestions=0`, viewer.token);
    const parts = docxParts(res.bytes);
    expect(parts['word/comments.xml'] ?? '').not.toContain('Cuáles prácticas');
    expect(docxTrackedChanges(parts['word/document.xml'])).toEqual([]);
    const text = docxParagraphs(parts['word/document.xml']).map((p) => p.text);
    expect(text).toContain('Retroalimentación y asesoría.');
    expect(text.some((t) => t.includes('de manera virtual'))).toBe(true);
  });
});

describe('PDF, Markdown and HTML exports', () => {
  it('prints an A4 PDF with the outline, page numbers and bookmarks', async () => {
    const viewer = await server.invite('viewer');
    const res = await download(`/api/documents/${server.documentId}/export?format=pdf`, viewer.token);
    expect(res.status).toBe(200);
    expect(Buffer.from(res.bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    const pdf = await getDocumentProxy(new Uint8Array(res.bytes));
    expect(pdf.numPages).toBeGreaterThanOrEqual(3);
    expect(pdf.numPages).toBeLessThanOrEqual(8);
    const page = await pdf.getPage(2);
    const [width, height] = [page.view[2], page.view[3]];
    expect(Math.round(width)).toBe(595);
    expect(Math.round(height)).toBe(842);
    const { text } = await extractText(pdf, { mergePages: false });
    const all = (text as string[]).join('\n');
    for (const heading of templateOutline().headings) expect(all).toContain(heading.text);
    expect(text[1]).toMatch(new RegExp(`Página 2 de ${pdf.numPages}`));
    const outline = await pdf.getOutline();
    const titles = JSON.stringify(outline);
    expect(titles).toContain('1. Antecedentes');
    expect(titles).toContain('8. Próximos pasos');
  });

  it('writes Markdown and self-contained HTML with the same outline, links and suggestions', async () => {
    const viewer = await server.invite('viewer');
    const md = Buffer.from((await download(`/api/documents/${server.documentId}/export?format=md&comments=1`, viewer.token)).bytes).toString('utf8');
    for (const heading of templateOutline().headings) expect(md).toContain(`${'#'.repeat(heading.level)} ${heading.text}`);
    expect(md).toContain('- Ferias vocacionales.');
    expect(md).toContain('1. Servicio de orientación e información.');
    expect(md).toContain('| Acción | Responsable | Plazo | Indicador | Meta |');
    expect(md).toContain(`[${LINK.label}](${LINK.href})`);
    expect(md).toContain('3. Retroalimentación y asesoría {++personalizada++}.');
    expect(md).toContain('{--de manera virtual--}');
    expect(md).toContain('¿Cuáles prácticas concretamente?');

    const html = Buffer.from((await download(`/api/documents/${server.documentId}/export?format=html&lang=en`, viewer.token)).bytes).toString('utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link |src="http/i);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('@media print');
    expect(html).toContain('Current plan');
    for (const heading of templateOutline().headings) expect(html).toContain(`<h${heading.level}>${heading.text}</h${heading.level}>`);
    expect(html).toContain(`href="${LINK.href}"`);
    expect(html).toMatch(new RegExp(`<ins[^>]*data-author="${SUGGESTER.authorName}"[^>]*> personalizada</ins>`));
  });
});

describe('export jobs and who may export', () => {
  it('a viewer signed in with a browser session starts a job, follows its progress and downloads the file', async () => {
    const viewer = await signIn(server.url, (await server.invite('viewer')).token);
    const started = await viewer.request('POST', `/api/documents/${server.documentId}/exports`, { format: 'docx', comments: true });
    expect(started.status).toBe(202);
    expect(started.body.job).toMatchObject({ format: 'docx', status: expect.stringMatching(/queued|running|done/) });
    let job = started.body.job;
    const seen = new Set<number>();
    for (let i = 0; i < 200 && job.status !== 'done' && job.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await viewer.request('GET', `/api/documents/${server.documentId}/exports/${job.id}`)).body.job;
      seen.add(job.progress);
    }
    expect(job.status).toBe('done');
    expect(job.progress).toBe(1);
    expect(job.downloadUrl).toBe(`/api/documents/${server.documentId}/exports/${job.id}/file`);
    const file = await fetch(new URL(job.downloadUrl, server.url), { headers: { cookie: viewer.cookieHeader() } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toContain('.docx');
    expect(Buffer.from(await file.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');

    // Someone else cannot see or download this job.
    const other = await signIn(server.url, (await server.invite('owner')).token);
    expect((await other.request('GET', `/api/documents/${server.documentId}/exports/${job.id}`)).status).toBe(404);
    expect((await other.request('GET', job.downloadUrl)).status).toBe(404);
  });

  it('refuses people who are not participants, tokens of other plans, unknown formats and versions', async () => {
    const path = `/api/documents/${server.documentId}/export?format=md`;
    expect((await fetch(new URL(path, server.url))).status).toBe(401);
    const otherPlan = await server.workspace.createDocument({ title: 'Otro plan', template: 'blank', createdBy: null });
    const stranger = await server.invite('owner', { documentId: otherPlan.id });
    const refused = await download(path, stranger.token);
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('token_for_other_document');
    const viewer = await server.invite('viewer');
    const badFormat = await download(`/api/documents/${server.documentId}/export?format=rtf`, viewer.token);
    expect(badFormat.status).toBe(400);
    expect(badFormat.json.error.message).toMatch(/format/);
    const noVersion = await download(`/api/documents/${server.documentId}/export?format=md&version=nope`, viewer.token);
    expect(noVersion.status).toBe(404);
    expect(noVersion.json.error.code).toBe('version_not_found');
  });

  it('exports a captured version with its name on the title page, not the text written after it', async () => {
    const version = await server.context.versions.captureVersion(server.documentId, { name: 'Versión preliminar', milestoneId: null, capturedBy: { kind: 'system', source: 'admin' } });
    await server.collab.changeDocument(server.documentId, (doc) => appendLinkParagraph(doc, 'Escrito después de la versión ', 'enlace', 'https://example.org'));
    const viewer = await server.invite('viewer');
    const res = await download(`/api/documents/${server.documentId}/export?format=docx&version=${version.id}`, viewer.token);
    expect(res.status).toBe(200);
    const paragraphs = docxParagraphs(docxParts(res.bytes)['word/document.xml']);
    expect(paragraphs[1].text).toBe('Versión preliminar');
    expect(paragraphs.some((p) => p.text.includes('Escrito después de la versión'))).toBe(false);
    expect(paragraphs.some((p) => p.text.includes(LINK.label))).toBe(true);
  });

  it('runs off the event loop: exporting a large plan does not delay the server', async () => {
    const big: JSONContent = { type: 'doc', content: [] };
    for (let i = 0; i < 400; i++) {
      big.content!.push({ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: `Sección ${i}` }] });
      big.content!.push({ type: 'paragraph', content: [{ type: 'text', text: 'Texto de la sección con ', marks: [] }, { type: 'text', text: 'negrita', marks: [{ type: 'bold' }] }] });
      big.content!.push({ type: 'bulletList', content: [1, 2, 3].map((n) => ({ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: `Punto ${n}` }] }] })) });
    }
    const doc = await server.workspace.createDocumentFromContent({ title: 'Plan grande', content: big, createdBy: null });
    expect(encodePlanContent(big).length).toBeGreaterThan(10_000);
    const viewer = await server.invite('viewer', { documentId: doc.id });
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const res = await download(`/api/documents/${doc.id}/export?format=docx`, viewer.token);
    delay.disable();
    expect(res.status).toBe(200);
    expect(docxParagraphs(docxParts(res.bytes)['word/document.xml']).filter((p) => p.style === 'Heading2')).toHaveLength(400);
    // The conversion itself takes far longer than this; the main thread stayed free meanwhile.
    expect(delay.max / 1e6).toBeLessThan(250);
  });
});

describe('command-line export', () => {
  it('exports from a running server’s data directory without taking its lock, printing {path, bytes}', async () => {
    const out = path.join(tempDataDir('minga-cli-export-'), 'plan.docx');
    const lockBefore = readFileSync(path.join(server.dataDir, 'minga.lock'), 'utf8');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'export', '--doc', server.documentId, '--format', 'docx', '--comments', '--out', out, '--json'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: server.dataDir },
    });
    const written = JSON.parse(stdout);
    expect(written).toEqual({ path: out, bytes: statSync(out).size });
    const headings = docxParagraphs(docxParts(new Uint8Array(readFileSync(out)))['word/document.xml']).filter((p) => p.style === 'Heading2');
    expect(headings.map((p) => p.text)).toContain('1. Antecedentes');
    expect(readFileSync(path.join(server.dataDir, 'minga.lock'), 'utf8')).toBe(lockBefore);
    removeDir(path.dirname(out));
  });

  it('explains an unknown plan or format as a JSON error with a non-zero exit', async () => {
    const run = (args: string[]) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'export', ...args, '--json'], { cwd: ROOT, env: { ...process.env, DATA_DIR: server.dataDir } }).then(
        () => null,
        (error: { stdout: string; code: number }) => ({ code: error.code, json: JSON.parse(error.stdout) }),
      );
    expect(await run(['--doc', 'nope', '--format', 'md', '--out', '/tmp/x.md'])).toMatchObject({ code: 1, json: { error: { code: 'document_not_found' } } });
    expect(await run(['--doc', server.documentId, '--format', 'rtf', '--out', '/tmp/x.rtf'])).toMatchObject({ code: 1, json: { error: { code: 'invalid_arguments' } } });
  });
});
