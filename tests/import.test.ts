import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { AlignmentType, Document, ExternalHyperlink, FootnoteReferenceRun, HeadingLevel, ImageRun, LevelFormat, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import type { JSONContent } from '@tiptap/core';
import { readPlanContent } from '../shared/plan-doc.ts';
import { signIn, type Browserish } from './helpers/http.ts';
import { removeDir, startTestServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
let owner: Browserish;

/** A 1×1 transparent PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

/** A Word document made with the `docx` library: headings, nested lists, a table, links, an image, a footnote. */
async function sampleDocx(): Promise<Uint8Array> {
  const item = (text: string, level: number) => new Paragraph({ text, bullet: { level } });
  const numbered = (text: string, level: number) => new Paragraph({ text, numbering: { reference: 'pasos', level } });
  const cell = (text: string) => new TableCell({ children: [new Paragraph(text)] });
  const document = new Document({
    numbering: { config: [{ reference: 'pasos', levels: [0, 1].map((level) => ({ level, format: LevelFormat.DECIMAL, text: `%${level + 1}.`, alignment: AlignmentType.LEFT })) }] },
    footnotes: { 1: { children: [new Paragraph('Fuente: informe de la OEA.')] } },
    sections: [
      {
        children: [
          new Paragraph({ heading: HeadingLevel.HEADING_1, text: 'Plan importado de Word' }),
          new Paragraph({ children: [new TextRun('Texto con '), new TextRun({ text: 'negrita', bold: true }), new TextRun(' y una nota'), new FootnoteReferenceRun(1)] }),
          new Paragraph({ heading: HeadingLevel.HEADING_2, text: 'Objetivos' }),
          item('Primer objetivo', 0),
          item('Detalle del primer objetivo', 1),
          item('Un detalle más hondo', 2),
          item('Segundo objetivo', 0),
          new Paragraph({ heading: HeadingLevel.HEADING_3, text: 'Pasos' }),
          numbered('Paso uno', 0),
          numbered('Paso uno a', 1),
          numbered('Paso dos', 0),
          new Paragraph({ heading: HeadingLevel.HEADING_2, text: 'Acciones' }),
          new Table({
            rows: [
              new TableRow({ tableHeader: true, children: [cell('Acción'), cell('Responsable')] }),
              new TableRow({ children: [cell('Firmar convenio'), cell('MTPE')] }),
            ],
          }),
          new Paragraph({
            children: [
              new TextRun('Vea el '),
              new ExternalHyperlink({ link: 'https://www.oas.org/es/', children: [new TextRun({ text: 'sitio de la OEA', style: 'Hyperlink' })] }),
              new TextRun(' y no '),
              new ExternalHyperlink({ link: 'javascript:alert(1)', children: [new TextRun({ text: 'este enlace', style: 'Hyperlink' })] }),
            ],
          }),
          new Paragraph({ children: [new ImageRun({ type: 'png', data: PNG, transformation: { width: 20, height: 20 }, altText: { name: 'logo', description: 'Logo MTPE', title: 'Logo' } })] }),
          new Paragraph({ heading: HeadingLevel.HEADING_4, text: 'Un título muy profundo' }),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}

/** Rebuild a DOCX with some parts changed. */
function repack(docx: Uint8Array, change: (parts: Record<string, string>) => void): Uint8Array {
  const files = unzipSync(docx);
  const texts = Object.fromEntries(Object.entries(files).filter(([name]) => /\.(xml|rels)$/.test(name)).map(([name, data]) => [name, strFromU8(data)]));
  change(texts);
  return zipSync({ ...files, ...Object.fromEntries(Object.entries(texts).map(([name, text]) => [name, strToU8(text)])) });
}

async function upload(bytes: Uint8Array, query: string, type = 'application/octet-stream', client: Browserish = owner) {
  const response = await fetch(new URL(`/api/documents/import?${query}`, server.url), {
    method: 'POST',
    headers: { 'content-type': type, cookie: client.cookieHeader(), 'x-csrf-token': client.csrf ?? '' },
    body: Buffer.from(bytes),
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function planContent(documentId: string): Promise<JSONContent> {
  let content: JSONContent = {};
  await server.collab.changeDocument(documentId, (doc) => (content = readPlanContent(doc)));
  return content;
}

const find = (node: JSONContent, test: (n: JSONContent) => boolean): JSONContent[] => [...(test(node) ? [node] : []), ...(node.content ?? []).flatMap((c) => find(c, test))];
const textOf = (node: JSONContent): string => (node.text ?? '') + (node.content ?? []).map(textOf).join('');

beforeAll(async () => {
  server = await startTestServer();
  owner = await signIn(server.url, (await server.invite('owner')).token);
});
afterAll(async () => {
  await server?.stop();
  if (server) removeDir(server.dataDir);
});

describe('importing a Word document', () => {
  it('creates a plan with its headings, nested lists, table and links, and lists what it left out', async () => {
    const res = await upload(await sampleDocx(), 'filename=plan.docx');
    expect(res.status).toBe(201);
    expect(res.body.document).toMatchObject({ title: 'Plan importado de Word', role: 'owner' });
    const notes = Object.fromEntries(res.body.notImported.map((n: { code: string; count: number }) => [n.code, n.count]));
    expect(notes).toMatchObject({ images: 1, footnotes: 1, 'unsafe-links': 1, 'headings-deeper': 1 });
    expect(res.body.notImported.find((n: { code: string }) => n.code === 'unsafe-links').examples).toEqual(['javascript:alert(1)']);
    expect(res.body.notImported.find((n: { code: string }) => n.code === 'images').examples).toEqual(['Logo MTPE']);

    const content = await planContent(res.body.document.id);
    expect(find(content, (n) => n.type === 'heading').map((h) => [h.attrs!.level, textOf(h)])).toEqual([
      [1, 'Plan importado de Word'],
      [2, 'Objetivos'],
      [3, 'Pasos'],
      [2, 'Acciones'],
      [3, 'Un título muy profundo'],
    ]);
    // Nested lists stay nested: bullet list > item > bullet list > item > bullet list.
    const outer = find(content, (n) => n.type === 'bulletList')[0];
    expect(outer.content!.map((item) => textOf(item.content![0]))).toEqual(['Primer objetivo', 'Segundo objetivo']);
    const inner = outer.content![0].content!.find((n) => n.type === 'bulletList')!;
    expect(textOf(inner.content![0].content![0])).toBe('Detalle del primer objetivo');
    expect(textOf(inner.content![0].content!.find((n) => n.type === 'bulletList')!)).toBe('Un detalle más hondo');
    const ordered = find(content, (n) => n.type === 'orderedList')[0];
    expect(ordered.content!.map((item) => textOf(item.content![0]))).toEqual(['Paso uno', 'Paso dos']);
    expect(textOf(ordered.content![0].content!.find((n) => n.type === 'orderedList')!)).toBe('Paso uno a');

    const table = find(content, (n) => n.type === 'table')[0];
    expect(table.content!.map((row) => row.content!.map((cell) => [cell.type, textOf(cell)]))).toEqual([
      [['tableHeader', 'Acción'], ['tableHeader', 'Responsable']],
      [['tableCell', 'Firmar convenio'], ['tableCell', 'MTPE']],
    ]);
    const links = find(content, (n) => n.type === 'text' && Boolean(n.marks?.some((m) => m.type === 'link')));
    expect(links.map((n) => [n.text, n.marks!.find((m) => m.type === 'link')!.attrs!.href])).toEqual([['sitio de la OEA', 'https://www.oas.org/es/']]);
    expect(JSON.stringify(content)).toContain('este enlace');
    expect(find(content, (n) => n.type === 'text' && n.text === 'negrita')[0].marks!.map((m) => m.type)).toEqual(['bold']);
    expect(JSON.stringify(content)).not.toContain('Fuente: informe');
  });

  it('imports Markdown with headings, nested lists, a table and links', async () => {
    const markdown = ['# Plan desde Markdown', '', '## Objetivos', '', '- Uno', '  - Uno punto uno', '- Dos', '', '1. Primero', '2. Segundo', '', '| Acción | Meta |', '| --- | --- |', '| Taller | 200 |', '', 'Vea [la OEA](https://www.oas.org) y ![un logo](logo.png).', '', '<div>crudo</div>'].join('\n');
    const res = await upload(new TextEncoder().encode(markdown), 'filename=plan.md&title=Título elegido', 'text/markdown');
    expect(res.status).toBe(201);
    expect(res.body.document.title).toBe('Título elegido');
    expect(res.body.notImported.map((n: { code: string }) => n.code).sort()).toEqual(['images', 'raw-html']);
    const content = await planContent(res.body.document.id);
    expect(find(content, (n) => n.type === 'heading').map(textOf)).toEqual(['Plan desde Markdown', 'Objetivos']);
    expect(textOf(find(content, (n) => n.type === 'bulletList')[1])).toBe('Uno punto uno');
    expect(find(content, (n) => n.type === 'tableHeader').map(textOf)).toEqual(['Acción', 'Meta']);
    expect(find(content, (n) => n.type === 'text' && n.text === 'la OEA')[0].marks![0].attrs!.href).toBe('https://www.oas.org');
  });
});

describe('refusing bad uploads, changing nothing', () => {
  let documentsBefore: number;
  let plansBefore: string[];
  // Stored plans (state files); temporary files of a compaction in progress come and go.
  const storedPlans = () => readdirSync(path.join(server.dataDir, 'documents')).filter((name) => name.endsWith('.ystate')).sort();
  beforeAll(() => {
    documentsBefore = server.workspace.meta.data.documents.length;
    plansBefore = storedPlans();
  });
  afterAll(() => {
    expect(server.workspace.meta.data.documents.length).toBe(documentsBefore);
    expect(storedPlans()).toEqual(plansBefore);
  });

  const refused = async (bytes: Uint8Array, status: number, code: string, message: RegExp, query = 'filename=plan.docx') => {
    const res = await upload(bytes, query);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(message);
  };

  it('refuses a file that is not a DOCX', async () => {
    await refused(new TextEncoder().encode('Esto es solo texto, no un documento de Word.'), 400, 'not_docx', /not a Word document/);
    await refused(zipSync({ 'hola.txt': strToU8('un zip cualquiera') }), 400, 'not_docx', /not a Word document/);
  });

  it('refuses a zip bomb by its declared sizes, before inflating it', async () => {
    const docx = unzipSync(await sampleDocx());
    const bomb = zipSync({ ...docx, 'word/media/zeros.bin': new Uint8Array(24 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    await refused(bomb, 400, 'zip_bomb', /zip bomb|unsafe/);
  });

  it('refuses a zip whose parts inflate to more than they declare', async () => {
    // A crafted central directory: the part declares 1 KB and holds 5 MB of zeros.
    const data = deflateRawSync(Buffer.alloc(5 * 1024 * 1024));
    const name = Buffer.from('word/document.xml');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(1024, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(1024, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(0, 42);
    const directoryOffset = local.length + name.length + data.length;
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(central.length + name.length, 12);
    end.writeUInt32LE(directoryOffset, 16);
    await refused(new Uint8Array(Buffer.concat([local, name, data, central, name, end])), 400, 'zip_bomb', /more than it declares/);
  });

  it('refuses DOCTYPE and ENTITY declarations in document.xml', async () => {
    const hostile = repack(await sampleDocx(), (parts) => {
      parts['word/document.xml'] = parts['word/document.xml'].replace('?>', '?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>');
    });
    await refused(hostile, 400, 'xml_entities', /DOCTYPE/);
  });

  it('refuses remote image references, in DOCX and in Markdown', async () => {
    const remote = repack(await sampleDocx(), (parts) => {
      parts['word/_rels/document.xml.rels'] = parts['word/_rels/document.xml.rels'].replace(
        '</Relationships>',
        '<Relationship Id="rIdRemote" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="http://198.51.100.7/track.png" TargetMode="External"/></Relationships>',
      );
    });
    await refused(remote, 400, 'remote_image', /image from another server \(http:\/\/198\.51\.100\.7\/track\.png\)/);
    await refused(new TextEncoder().encode('# Plan\n\n![pixel](https://198.51.100.7/pixel.png)\n'), 400, 'remote_image', /image from another server/, 'filename=plan.md');
  });

  it('refuses oversized and empty uploads, and people who are not signed in with a session', async () => {
    await refused(new Uint8Array(10 * 1024 * 1024 + 1), 413, 'upload_too_large', /larger than 10 MB/);
    await refused(new Uint8Array(0), 400, 'empty_upload', /empty/);
    const anonymous = await fetch(new URL('/api/documents/import?filename=plan.md', server.url), { method: 'POST', headers: { 'content-type': 'text/markdown' }, body: '# Plan' });
    expect(anonymous.status).toBe(401);
    const token = (await server.invite('editor')).token;
    const bearer = await fetch(new URL('/api/documents/import?filename=plan.md', server.url), { method: 'POST', headers: { 'content-type': 'text/markdown', authorization: `Bearer ${token}` }, body: '# Plan' });
    expect(bearer.status).toBe(403);
    const noCsrf = await fetch(new URL('/api/documents/import?filename=plan.md', server.url), { method: 'POST', headers: { 'content-type': 'text/markdown', cookie: owner.cookieHeader() }, body: '# Plan' });
    expect(noCsrf.status).toBe(403);
  });
});
