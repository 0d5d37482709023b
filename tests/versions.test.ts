import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import type { JSONContent } from '@tiptap/core';
import { encodePlanContent, planText, readPlanContent } from '../shared/plan-doc.ts';
import { threadsMap, type Thread } from '../shared/threads.ts';
import { YName } from '../shared/protocol.ts';
import { SOVIO_SECTIONS, sovioTemplate } from '../shared/template.ts';
import type { CompareResult, MilestoneView, VersionSummary } from '../shared/versions.ts';
import { commandMessage, connectClient, rawClient, relativeAt, synced, waitFor, type RawClient, type TestClient } from './helpers/clients.ts';
import { signIn, type Browserish } from './helpers/http.ts';
import { removeDir, startTestServer, type TestServer } from './helpers/server.ts';
import { comparePlanStates } from '../server/versions/comparison.ts';
import { comparePage, renderDocumentHtml } from '../server/versions/render-html.ts';
import { cli } from './helpers/cli.ts';


/** The controllable clock of the milestone schedule: 1 May 2024, after the coordination meeting. */
let clock = Date.parse('2024-05-01T12:00:00Z');
const now = (): number => clock;

let server: TestServer;
let owner: Browserish;
let editor: Browserish;
let commenter: Browserish;
let viewer: Browserish;
let editorClient: TestClient;
let editorToken: string;
let suggesterToken: string;
let suggesterId: string;
let commenterRaw: RawClient;
const dirs: string[] = [];

beforeAll(async () => {
  server = await startTestServer({ now, milestoneCheckMs: 50 });
  dirs.push(server.dataDir);
  owner = await signIn(server.url, (await server.invite('owner', { name: 'Coordinación', delegation: 'Perú · MTPE' })).token);
  const editorInvite = await server.invite('editor', { name: 'Especialista MTPE', delegation: 'Perú · MTPE' });
  editorToken = editorInvite.token;
  editor = await signIn(server.url, editorToken);
  ({ token: suggesterToken, userId: suggesterId } = await server.invite('suggester', { name: 'Equipo Orienta Panamá', delegation: 'Panamá · MITRADEL' }));
  const commenterInvite = await server.invite('commenter', { name: 'Revisora OEA', delegation: 'OEA' });
  commenter = await signIn(server.url, commenterInvite.token);
  commenterRaw = rawClient(`${server.wsUrl}/${server.documentId}?token=${commenterInvite.token}`);
  await commenterRaw.opened;
  viewer = await signIn(server.url, (await server.invite('viewer', { name: 'Misión', delegation: 'OEA' })).token);
  editorClient = connectClient(server.wsUrl, server.documentId, editorToken);
  await synced(editorClient);
});
afterAll(async () => {
  editorClient?.destroy();
  commenterRaw?.ws.close();
  await server?.stop();
  dirs.forEach(removeDir);
});

const api = (id = server.documentId): string => `/api/documents/${id}`;

async function listVersions(as: Browserish = commenter): Promise<VersionSummary[]> {
  const res = await as.request('GET', `${api()}/versions`);
  expect(res.status).toBe(200);
  return res.body.versions;
}

/** The top-level block of the body at `index` in a client's doc (its first XmlText for textblocks). */
function textOf(doc: Y.Doc, index: number): Y.XmlText {
  return (doc.getXmlFragment(YName.body).get(index) as Y.XmlElement).get(0) as Y.XmlText;
}
function blockIndex(doc: Y.Doc, includes: string): number {
  return doc.getXmlFragment(YName.body).toArray().findIndex((node) => node.toString().includes(includes));
}

let requests = 0;
/** Send a thread command as the commenter and wait for its result. */
async function commenterCommand(body: Record<string, unknown>): Promise<void> {
  const requestId = `req${requests++}xx`;
  commenterRaw.send(commandMessage({ ...body, requestId }));
  await waitFor(() => commenterRaw.notices.some((n) => n.kind === 'command-result' && n.requestId === requestId), 5000, `result of ${body.op}`);
  expect(commenterRaw.notices.find((n) => n.kind === 'command-result' && n.requestId === requestId)).toMatchObject({ ok: true });
}
async function openComment(threadId: string, includes: string, body: string): Promise<void> {
  await waitFor(() => blockIndex(commenterRaw.doc, includes) >= 0, 5000, 'commenter in sync');
  const text = textOf(commenterRaw.doc, blockIndex(commenterRaw.doc, includes));
  await commenterCommand({ op: 'thread.create', threadId, messageId: `${threadId}m1`, anchor: { start: relativeAt(text, 0, 0), end: relativeAt(text, 10, -1) }, quote: text.toString().slice(0, 10), body, mentions: [] });
}

describe('milestones', () => {
  it('the sample calendar is in place, and the milestone that had already passed was captured at start', async () => {
    const res = await commenter.request('GET', `${api()}/milestones`);
    expect(res.status).toBe(200);
    const milestones: MilestoneView[] = res.body.milestones;
    expect(milestones.map((m) => m.title)).toEqual([
      'Reunión de coordinación',
      'Primera sesión de cooperación',
      'MITRADEL comparte documentos',
      'MTPE envía preguntas',
      'Segunda sesión de cooperación',
      'MTPE envía el plan preliminar',
      'Tercera sesión de cooperación',
      'Plan final',
    ]);
    expect(milestones[1]).toMatchObject({ dueAt: '2024-05-24T14:00:00.000Z', timeZone: 'America/Lima', versionId: null });
    expect(milestones[7].dueAt).toBe('2024-10-01T04:59:00.000Z');
    expect(milestones[0].versionId).toEqual(expect.any(String));
    const versions = await listVersions();
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ name: 'Reunión de coordinación', milestoneId: milestones[0].id, capturedBy: { kind: 'system', source: 'milestone' }, prevHash: null });
  });

  it('captures a milestone version by itself when the milestone time passes', async () => {
    clock = Date.parse('2024-05-24T13:59:00Z');
    await new Promise((r) => setTimeout(r, 200));
    expect(await listVersions()).toHaveLength(1);
    clock = Date.parse('2024-05-24T14:00:01Z');
    await expect.poll(async () => (await listVersions()).map((v) => v.name), { timeout: 5000 }).toEqual(['Reunión de coordinación', 'Primera sesión de cooperación']);
    const [first, second] = await listVersions();
    expect(second.prevHash).toBe(first.contentHash);
    expect(second.capturedAt).toBe('2024-05-24T14:00:01.000Z');
  });

  it('only the owner adds, edits and removes milestones; everyone on the plan sees them', async () => {
    const input = { title: 'Taller con docentes', description: 'Sesión extra', dueAt: '2024-11-15T14:00:00Z', timeZone: 'America/Panama' };
    expect((await editor.request('POST', `${api()}/milestones`, input)).status).toBe(403);
    expect((await commenter.request('POST', `${api()}/milestones`, input)).body.error.code).toBe('role_forbids');
    expect((await owner.request('POST', `${api()}/milestones`, { ...input, timeZone: 'Mars/Olympus' })).status).toBe(400);
    expect((await owner.request('POST', `${api()}/milestones`, { ...input, dueAt: 'mañana' })).status).toBe(400);
    const created = await owner.request('POST', `${api()}/milestones`, input);
    expect(created.status).toBe(201);
    expect(created.body.milestone).toMatchObject({ title: 'Taller con docentes', dueAt: '2024-11-15T14:00:00.000Z', timeZone: 'America/Panama', versionId: null });
    const id = created.body.milestone.id;
    expect((await editor.request('PATCH', `${api()}/milestones/${id}`, { title: 'x' })).status).toBe(403);
    const patched = await owner.request('PATCH', `${api()}/milestones/${id}`, { title: 'Taller con docentes orientadores' });
    expect(patched.body.milestone.title).toBe('Taller con docentes orientadores');
    const seen = await viewer.request('GET', `${api()}/milestones`);
    expect(seen.body.milestones.some((m: MilestoneView) => m.id === id)).toBe(true);
    expect((await editor.request('DELETE', `${api()}/milestones/${id}`)).status).toBe(403);
    expect((await owner.request('DELETE', `${api()}/milestones/${id}`)).status).toBe(200);
    expect((await owner.request('DELETE', `${api()}/milestones/${id}`)).status).toBe(404);
  });
});

let v1: VersionSummary;
let v2: VersionSummary;

describe('versions through the real server', () => {
  it('an editor captures a named version of text and threads; everyone can list and open it', async () => {
    await openComment('tdiagnostico1', 'Se desarrolla en tres etapas', 'Falta la etapa de seguimiento.');
    clock += 60_000;
    const res = await editor.request('POST', `${api()}/versions`, { name: 'Antes de la segunda sesión' });
    expect(res.status).toBe(201);
    v1 = res.body.version;
    expect(v1).toMatchObject({ name: 'Antes de la segunda sesión', milestoneId: null, capturedBy: { kind: 'person', name: 'Especialista MTPE', delegation: 'Perú · MTPE' } });
    expect(v1.size).toBeGreaterThan(1000);
    expect(v1.contentHash).toMatch(/^[0-9a-f]{64}$/);

    const listed = await listVersions(viewer);
    expect(listed.at(-1)).toEqual(v1);
    expect(JSON.stringify(listed)).not.toContain('"state"');
    const opened = await viewer.request('GET', `${api()}/versions/${v1.id}`);
    expect(opened.status).toBe(200);
    expect(planText(opened.body.content)).toContain('Se desarrolla en tres etapas');
    expect(opened.body.threads.map((t: { id: string }) => t.id)).toContain('tdiagnostico1');
    const html = await viewer.request('GET', `${api()}/versions/${v1.id}/html`);
    expect(html.status).toBe(200);
    expect(html.body).toContain('<h2>1. Antecedentes</h2>');
    expect(html.body).not.toMatch(/<script/i);
    const page = await fetch(new URL(`${api()}/versions/${v1.id}/html`, server.url), { headers: { authorization: `Bearer ${editorToken}` } });
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'unsafe-inline'/);
  });

  it('viewers and commenters read history but cannot capture or restore; a token cannot reach another plan', async () => {
    expect((await viewer.request('POST', `${api()}/versions`, { name: 'x' })).status).toBe(403);
    expect((await commenter.request('POST', `${api()}/versions`, { name: 'x' })).status).toBe(403);
    expect((await viewer.request('POST', `${api()}/versions/${v1.id}/restore`, {})).status).toBe(403);
    expect((await commenter.request('POST', `${api()}/versions/${v1.id}/restore`, {})).status).toBe(403);
    expect((await editor.request('POST', `${api()}/versions`, { name: '' })).status).toBe(400);
    expect((await editor.request('GET', `${api()}/versions/nope`)).status).toBe(404);
    const other = await server.workspace.createDocument({ title: 'Otro plan', template: 'blank', createdBy: null });
    const res = await fetch(new URL(`${api(other.id)}/versions`, server.url), { headers: { authorization: `Bearer ${editorToken}` } });
    expect(res.status).toBe(403);
  });

  it('compares two versions: inline insertions with their authors, deletions, a table cell, a suggestion, a summary per section', async () => {
    const doc = editorClient.doc;
    const antecedentes = textOf(doc, blockIndex(doc, 'La actividad de cooperación'));
    antecedentes.insert(0, 'Actualizado tras la segunda sesión. ');
    const end = antecedentes.toString().indexOf(' de manera virtual');
    antecedentes.delete(end, ' de manera virtual'.length);
    const table = doc.getXmlFragment(YName.body).get(blockIndex(doc, 'Diciembre 2024')) as Y.XmlElement;
    const cell = ((table.get(1) as Y.XmlElement).get(2) as Y.XmlElement).get(0) as Y.XmlElement;
    const cellText = cell.get(0) as Y.XmlText;
    cellText.delete(0, cellText.length);
    cellText.insert(0, 'Enero 2025');

    const suggester = connectClient(server.wsUrl, server.documentId, suggesterToken);
    await synced(suggester);
    const general = textOf(suggester.doc, blockIndex(suggester.doc, 'Conocer la experiencia de Panamá'));
    general.insert(general.length - 1, ' y replicarlas', { insertion: { suggestionId: 'sugreplicar1', authorId: suggesterId, authorName: 'Equipo Orienta Panamá', color: '#1f5fbf', createdAt: '2024-06-01T00:00:00.000Z' } });
    await waitFor(() => editorClient.doc.getXmlFragment(YName.body).toString().includes('y replicarlas'), 5000, 'suggestion applied');
    suggester.destroy();

    await commenterCommand({ op: 'thread.resolve', threadId: 'tdiagnostico1' });
    await openComment('taprendizajes1', 'Convenio de cooperación interinstitucional', '¿Qué convenio exactamente?');
    await waitFor(() => server.collab.room(server.documentId)!.doc.getXmlFragment(YName.body).toString().includes('Enero 2025'), 5000, 'edits on the server');

    clock += 60_000;
    v2 = (await editor.request('POST', `${api()}/versions`, { name: 'Tras la segunda sesión' })).body.version;
    expect(v2.prevHash).toBe(v1.contentHash);

    const res = await commenter.request('GET', `${api()}/compare?from=${v1.id}&to=${v2.id}`);
    expect(res.status).toBe(200);
    const result: CompareResult = res.body;
    expect(result.from.id).toBe(v1.id);
    expect(result.to.id).toBe(v2.id);
    const authorName = (i: number | null): string => (i === null ? 'unknown' : result.authors[i].name);
    const entries = result.changes.map((c) => ({ kind: c.kind, text: c.text, section: result.sections[c.section].title, author: authorName(c.author) }));
    expect(entries).toContainEqual({ kind: 'inserted', text: 'Actualizado tras la segunda sesión. ', section: SOVIO_SECTIONS[0], author: 'Especialista MTPE' });
    expect(entries).toContainEqual({ kind: 'deleted', text: ' de manera virtual', section: SOVIO_SECTIONS[0], author: 'unknown' });
    expect(entries).toContainEqual({ kind: 'deleted', text: 'Diciembre', section: SOVIO_SECTIONS[4], author: 'unknown' });
    expect(entries).toContainEqual({ kind: 'inserted', text: 'Enero', section: SOVIO_SECTIONS[4], author: 'Especialista MTPE' });
    expect(entries).toContainEqual({ kind: 'inserted', text: ' y replicarlas', section: SOVIO_SECTIONS[1], author: 'Equipo Orienta Panamá' });
    expect(result.authors.find((a) => a.name === 'Equipo Orienta Panamá')).toMatchObject({ delegation: 'Panamá · MITRADEL', color: '#1f5fbf' });

    const section = (title: string) => result.sections.find((s) => s.title === title)!;
    expect(section(SOVIO_SECTIONS[0])).toMatchObject({ wordsAdded: 5, wordsRemoved: 3 });
    expect(section(SOVIO_SECTIONS[1]).wordsAdded).toBe(2);
    expect(section(SOVIO_SECTIONS[2])).toMatchObject({ wordsAdded: 0, wordsRemoved: 0, commentsResolved: 1, commentsOpened: 0 });
    expect(section(SOVIO_SECTIONS[3])).toMatchObject({ commentsOpened: 1, commentsResolved: 0 });
    expect(section(SOVIO_SECTIONS[5])).toMatchObject({ wordsAdded: 0, wordsRemoved: 0 });
    expect(result.threads.map((t) => t.id).sort()).toEqual(['taprendizajes1', 'tdiagnostico1']);

    // The suggestion is shown as an insertion that still carries its suggestion mark.
    const json = JSON.stringify(result.doc);
    expect(json).toContain('"type":"insertion"');

    const html = await commenter.request('GET', `${api()}/compare/html?from=${v1.id}&to=${v2.id}`);
    expect(html.status).toBe(200);
    expect(html.body).toMatch(/<ins class="diff-ins" title="Insertado por Especialista MTPE \(Perú · MTPE\)"[^>]*>Actualizado tras la segunda sesión. <\/ins>/);
    expect(html.body).toContain('<del class="diff-del"');
    expect(html.body).toContain('Palabras añadidas');
    expect(html.body).not.toMatch(/<script/i);
  });

  it('compares a version with the current plan, in either order', async () => {
    editorClient.doc.transact(() => textOf(editorClient.doc, blockIndex(editorClient.doc, 'Pasos a seguir')).insert(0, 'Nuevo paso acordado. '));
    await waitFor(() => server.collab.room(server.documentId)!.doc.getXmlFragment(YName.body).toString().includes('Nuevo paso acordado'), 5000);
    const res = await viewer.request('GET', `${api()}/compare?from=current&to=${v2.id}`);
    expect(res.status).toBe(200);
    expect(res.body.from.id).toBe(v2.id);
    expect(res.body.to.id).toBe('current');
    expect(res.body.changes).toEqual([expect.objectContaining({ kind: 'inserted', text: 'Nuevo paso acordado. ' })]);
    expect((await viewer.request('GET', `${api()}/compare?from=${v2.id}`)).status).toBe(400);
  });

  it('restores an old version as one new change that reaches everyone; history stays', async () => {
    const before = await listVersions();
    const res = await editor.request('POST', `${api()}/versions/${v1.id}/restore`, {});
    expect(res.status).toBe(200);
    expect(res.body.version).toMatchObject({ restoredFrom: v1.id, name: 'Restaurado desde «Antes de la segunda sesión»', capturedBy: { kind: 'person', name: 'Especialista MTPE' } });
    const expected = planText((await commenter.request('GET', `${api()}/versions/${v1.id}`)).body.content);
    const live = (): string => planText(readPlanContent(editorClient.doc) as JSONContent);
    await waitFor(() => live() === expected, 5000, 'restored text at the editor');
    const after = await listVersions();
    expect(after.slice(0, before.length)).toEqual(before);
    // Threads were not rolled back: the comment opened after v1 is still there.
    expect(after).toHaveLength(before.length + 1);
    const back = (await viewer.request('GET', `${api()}/compare?from=${v1.id}&to=current`)).body as CompareResult;
    expect(back.changes).toEqual([]);
    const undone = (await viewer.request('GET', `${api()}/compare?from=${v2.id}&to=current`)).body as CompareResult;
    expect(undone.changes).toContainEqual(expect.objectContaining({ kind: 'deleted', text: 'Actualizado tras la segunda sesión. ' }));
    expect(undone.changes).toContainEqual(expect.objectContaining({ kind: 'inserted', text: ' de manera virtual', author: expect.any(Number) }));
    const restorer = undone.authors[undone.changes.find((c) => c.text === ' de manera virtual')!.author!];
    expect(restorer.name).toBe('Especialista MTPE');
  });
});

describe('durability and integrity of versions', () => {
  it('versions survive a restart, and milestones that passed while the server was down are captured on start', async () => {
    const before = await listVersions();
    editorClient.destroy();
    commenterRaw.ws.close();
    await server.stop();
    clock = Date.parse('2024-07-11T00:00:00Z');
    server = await startTestServer({ dataDir: server.dataDir, now, milestoneCheckMs: 50 });
    owner = await signIn(server.url, (await server.invite('owner', { name: 'Coordinación 2' })).token);
    const after = await listVersions(owner);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length).map((v) => v.name)).toEqual(['MITRADEL comparte documentos', 'MTPE envía preguntas', 'Segunda sesión de cooperación']);
    const report = await owner.request('GET', `${api()}/versions/verify`);
    expect(report.body).toMatchObject({ ok: true, versions: after.length, problems: [] });
  });

  it('a version created with the CLI joins the chain, on a running server and on a stopped one', async () => {
    const online = await cli(server.dataDir, 'version', 'create', '--doc', server.documentId, '--name', 'Copia de respaldo');
    expect(online).toEqual({ code: 0, json: { id: expect.any(String) } });
    expect((await listVersions(owner)).at(-1)).toMatchObject({ id: online.json.id, capturedBy: { kind: 'system', source: 'admin' } });
    await server.stop();
    const offline = await cli(server.dataDir, 'version', 'create', '--doc', server.documentId, '--name', 'Copia sin servidor');
    expect(offline.code).toBe(0);
    const verified = await cli(server.dataDir, 'version', 'verify', '--doc', server.documentId);
    expect(verified.code).toBe(0);
    expect(verified.json).toEqual({ ok: true, versions: expect.any(Number), problems: [] });
    expect((await cli(server.dataDir, 'version', 'verify', '--doc', 'nope')).code).not.toBe(0);
    server = await startTestServer({ dataDir: server.dataDir, now, milestoneCheckMs: 50 });
  });

  it('tampering with the stored file is detected by the API, the UI data and the CLI', async () => {
    const file = path.join(server.dataDir, 'versions', `${server.documentId}.json`);
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    const target = stored.versions[2];
    target.name = 'Nombre cambiado a mano';
    writeFileSync(file, JSON.stringify(stored, null, 2));
    owner = await signIn(server.url, (await server.invite('owner', { name: 'Coordinación 3' })).token);
    const report = (await owner.request('GET', `${api()}/versions/verify`)).body;
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ versionId: target.id, index: 2, problem: 'content_hash_mismatch' })]);
    expect(report.checked[2]).toEqual({ id: target.id, ok: false });
    expect(report.checked.filter((c: { ok: boolean }) => !c.ok)).toHaveLength(1);

    // Removing a version breaks the next one's link.
    stored.versions[2].name = JSON.parse(readFileSync(file, 'utf8')).versions[2].name;
    stored.versions.splice(3, 1);
    writeFileSync(file, JSON.stringify(stored, null, 2));
    const viaCli = await cli(server.dataDir, 'version', 'verify', '--doc', server.documentId);
    expect(viaCli.code).toBe(1);
    expect(viaCli.json.ok).toBe(false);
    expect(viaCli.json.problems.map((p: { problem: string }) => p.problem)).toContain('prev_hash_mismatch');

    // A state changed byte for byte is caught too, with the server stopped.
    await server.stop();
    const state = Buffer.from(stored.versions[1].state, 'base64');
    state[state.length - 3] ^= 0xff;
    stored.versions[1].state = state.toString('base64');
    writeFileSync(file, JSON.stringify(stored, null, 2));
    const offline = await cli(server.dataDir, 'version', 'verify', '--doc', server.documentId);
    expect(offline.code).toBe(1);
    expect(offline.json.problems).toContainEqual(expect.objectContaining({ index: 1, problem: 'content_hash_mismatch' }));
    writeFileSync(file, '{ not json');
    const garbage = await cli(server.dataDir, 'version', 'verify', '--doc', server.documentId);
    expect(garbage.json).toMatchObject({ ok: false, problems: [expect.objectContaining({ problem: 'malformed' })] });
    server = await startTestServer({ dataDir: server.dataDir, now, milestoneCheckMs: 50 });
  });
});

describe('comparison of known states (no server)', () => {
  const author = { id: 'u-pa', name: 'Equipo Orienta Panamá', delegation: 'Panamá · MITRADEL', color: '#1f5fbf' };
  const mark = (suggestionId: string) => ({ suggestionId, authorId: author.id, authorName: author.name, color: author.color, createdAt: '2024-06-01T00:00:00.000Z' });

  function addSuggestionThread(doc: Y.Doc, id: string, status: Thread['status'], events: Thread['events'] = []): void {
    const thread = new Y.Map<unknown>();
    threadsMap(doc).set(id, thread);
    const fields: Record<string, unknown> = { id, kind: 'suggestion', author, createdAt: '2024-06-01T00:00:00.000Z', anchor: null, quote: '', status };
    for (const [key, value] of Object.entries(fields)) thread.set(key, value);
    thread.set('messages', new Y.Array());
    const list = new Y.Array<Thread['events'][number]>();
    thread.set('events', list);
    list.push(events);
  }

  it('counts suggestions made, accepted and rejected in the sections where they are, and marks whole blocks', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, encodePlanContent(sovioTemplate()));
    const body = doc.getXmlFragment(YName.body);
    const at = (includes: string): Y.XmlText => textOf(doc, blockIndex(doc, includes));
    // Older: two open suggestions in section 1 and one in section 4.
    at('La actividad de cooperación').insert(0, 'Propuesta A. ', { insertion: mark('sugA') });
    at('Convenio de cooperación').insert(0, 'Propuesta B. ', { insertion: mark('sugB') });
    addSuggestionThread(doc, 'sugA', 'open');
    addSuggestionThread(doc, 'sugB', 'open');
    const older = Y.encodeStateAsUpdate(doc);

    // Newer: A accepted (mark removed), B rejected (text removed), C made in section 2, a new paragraph in section 7.
    const a = at('La actividad de cooperación');
    a.format(0, 'Propuesta A. '.length, { insertion: null });
    const b = at('Convenio de cooperación');
    b.delete(0, 'Propuesta B. '.length);
    at('Conocer la experiencia de Panamá').insert(0, 'Propuesta C. ', { insertion: mark('sugC') });
    (threadsMap(doc).get('sugA') as Y.Map<unknown>).set('status', 'accepted');
    ((threadsMap(doc).get('sugA') as Y.Map<unknown>).get('events') as Y.Array<unknown>).push([{ type: 'accepted', by: author, at: '2024-07-01T00:00:00.000Z' }]);
    (threadsMap(doc).get('sugB') as Y.Map<unknown>).set('status', 'rejected');
    addSuggestionThread(doc, 'sugC', 'open');
    const paragraph = new Y.XmlElement('paragraph');
    body.insert(blockIndex(doc, 'Indicadores, instrumentos') + 1, [paragraph]);
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    text.insert(0, 'Se medirá cada trimestre.');
    const newer = Y.encodeStateAsUpdate(doc);

    const result = comparePlanStates({
      documentId: 'd',
      older: { id: 'v1', name: 'uno', at: '2024-06-02T00:00:00.000Z', state: older },
      newer: { id: 'v2', name: 'dos', at: '2024-07-02T00:00:00.000Z', state: newer },
      authorOfClient: () => undefined,
    });
    const section = (n: number) => result.sections.find((s) => s.title === SOVIO_SECTIONS[n])!;
    expect(section(0)).toMatchObject({ suggestionsAccepted: 1, suggestionsMade: 0, wordsAdded: 0, wordsRemoved: 0 });
    expect(section(3)).toMatchObject({ suggestionsRejected: 1, wordsRemoved: 2 });
    expect(section(1)).toMatchObject({ suggestionsMade: 1, wordsAdded: 2 });
    expect(section(6)).toMatchObject({ wordsAdded: 4 });
    expect(result.changes).toContainEqual({ kind: 'inserted', text: 'Se medirá cada trimestre.', section: 7, author: null });
    const inserted = JSON.stringify(result.doc).includes('"type":"paragraph","attrs":{},"change":"inserted"');
    expect(inserted).toBe(true);
    expect(result.threads.map((t) => [t.id, t.opened, t.events.map((e) => e.type)])).toEqual([
      ['sugA', false, ['accepted']],
      ['sugB', false, ['rejected']],
      ['sugC', true, []],
    ]);
    const html = renderDocumentHtml(result.doc, result.authors);
    expect(html).toContain('<p class="diff-block diff-block--inserted"><ins class="diff-ins" title="Insertado por autor desconocido">Se medirá cada trimestre.</ins></p>');
    expect(html).toContain('<del class="diff-del" title="Eliminado (Yjs no registra quién elimina)"><span class="suggestion suggestion--insertion"');
  });

  it('escapes everything from the plan in the standalone HTML', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, encodePlanContent(sovioTemplate()));
    const older = Y.encodeStateAsUpdate(doc);
    textOf(doc, 1).insert(0, '<script>alert(1)</script><img src=x onerror=alert(2)>', { link: { href: 'javascript:alert(3)' } });
    const result = comparePlanStates({
      documentId: 'd',
      older: { id: 'v1', name: '<b>uno</b>', at: '1', state: older },
      newer: { id: 'v2', name: 'dos', at: '2', state: Y.encodeStateAsUpdate(doc) },
      authorOfClient: () => ({ id: 'x', name: '<i>Nombre</i>', delegation: '"OEA"', color: 'red;background:url(x)' }),
    });
    const html = comparePage({ planTitle: '</title><script>x</script>', result });
    expect(html).not.toMatch(/<script|<img|javascript:|<b>|<i>|url\(x\)/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
