import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import * as Y from 'yjs';
import { YName } from '../../shared/protocol.ts';
import { connectClient, synced, waitFor } from '../helpers/clients.ts';
import { removeDir, startTestServer, type TestServer } from '../helpers/server.ts';
import { launchBrowser, Person } from './browser.ts';
import { MilestonesDialog, VersionsDialog } from './history-page.ts';

/** The milestone schedule's clock: after the coordination meeting, before the first session. */
let clock = Date.parse('2024-05-01T12:00:00Z');
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer({ now: () => clock, milestoneCheckMs: 50 });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) removeDir(server.dataDir);
});

function paragraph(doc: Y.Doc, includes: string): Y.XmlText {
  const body = doc.getXmlFragment(YName.body);
  const index = body.toArray().findIndex((node) => node.toString().includes(includes));
  return (body.get(index) as Y.XmlElement).get(0) as Y.XmlText;
}

describe('journey 4: an OAS reviewer compares the versions of two milestones', () => {
  it('a commenter opens the comparison between two milestone versions and sees what changed, by whom, per section', async () => {
    // Between the coordination meeting and the first session, an MTPE specialist edits the plan.
    const { token } = await server.invite('editor', { name: 'Especialista MTPE', delegation: 'Perú · MTPE' });
    const editor = connectClient(server.wsUrl, server.documentId, token);
    await synced(editor);
    const antecedentes = paragraph(editor.doc, 'La actividad de cooperación');
    antecedentes.insert(0, 'Tras la primera sesión con Panamá se precisan los objetivos. ');
    const end = antecedentes.toString().indexOf(', para realizarse de manera virtual');
    antecedentes.delete(end, ', para realizarse de manera virtual'.length);
    await waitFor(() => server.collab.room(server.documentId)!.doc.getXmlFragment(YName.body).toString().includes('Tras la primera sesión'), 5000, 'edit on the server');
    editor.destroy();

    // The first session's time passes: the server captures its version by itself.
    clock = Date.parse('2024-05-24T14:00:30Z');
    await expect.poll(async () => (await server.context.versions.list(server.documentId)).length, { timeout: 5000 }).toBe(2);

    const reviewer = await Person.enter(browser);
    const commenterUrl = (await server.invite('commenter', { name: 'Sección de Trabajo y Empleo', delegation: 'OEA' })).url;
    await reviewer.openInvite(commenterUrl);
    const page = reviewer.page;

    const milestones = await new MilestonesDialog(page).open();
    expect(await milestones.statusOf('Reunión de coordinación')).toBe('Versión capturada');
    expect(await milestones.statusOf('Primera sesión de cooperación')).toBe('Versión capturada');
    expect(await milestones.statusOf('Segunda sesión de cooperación')).toBe('Pendiente');
    await milestones.dialog.getByRole('button', { name: 'Añadir hito' }).count().then((n) => expect(n).toBe(0));
    await milestones.close();

    const versions = await new VersionsDialog(page).open();
    expect(await versions.versionNames()).toEqual(['Primera sesión de cooperación', 'Reunión de coordinación']);
    expect(await versions.chainStatus()).toBe('Cadena íntegra');
    // A commenter reviews: nothing to capture or restore.
    expect(await versions.dialog.getByRole('button', { name: 'Capturar versión' }).count()).toBe(0);
    expect(await versions.dialog.getByRole('button', { name: /^Restaurar/ }).count()).toBe(0);

    const before = await versions.openVersion('Reunión de coordinación');
    expect(before).toContain('para realizarse de manera virtual');
    expect(before).not.toContain('Tras la primera sesión');
    await versions.back();

    const comparison = await versions.compare('Reunión de coordinación', 'Primera sesión de cooperación');
    expect(await comparison.insertions()).toContainEqual({ text: 'Tras la primera sesión con Panamá se precisan los objetivos. ', title: 'Insertado por Especialista MTPE (Perú · MTPE)' });
    expect(await comparison.deletions()).toContain(', para realizarse de manera virtual');
    expect(await comparison.sectionRow('1. Antecedentes')).toEqual(['1. Antecedentes', '10', '5', '0', '0', '0', '0', '0', 'Especialista MTPE (Perú · MTPE)']);
    expect((await comparison.sectionRow('2. Objetivos')).slice(1, 3)).toEqual(['0', '0']);

    // The same comparison against the live plan, with the keyboard only.
    await versions.back();
    await versions.dialog.getByLabel('Hasta').focus();
    await page.keyboard.press('Home');
    await versions.dialog.getByLabel('Hasta').selectOption({ label: 'Plan actual' });
    await versions.dialog.getByRole('button', { name: 'Comparar', exact: true }).focus();
    await page.keyboard.press('Enter');
    await comparison.summary.waitFor();
    expect(await comparison.insertions()).toContainEqual(expect.objectContaining({ text: 'Tras la primera sesión con Panamá se precisan los objetivos. ' }));

    // 401s are the invite page asking for a session before redeeming the link.
    expect(reviewer.errors.filter((e) => !/401/.test(e))).toEqual([]);
    await reviewer.close();
  });

  it('the owner keeps the calendar, captures a version and restores it, from the dialogs', async () => {
    const owner = await Person.enter(browser);
    const plan = await owner.openInvite((await server.invite('owner', { name: 'Coordinación MTPE', delegation: 'Perú · MTPE' })).url);
    const page = owner.page;

    const milestones = await new MilestonesDialog(page).open();
    const form = milestones.dialog.getByRole('form', { name: 'Nuevo hito' });
    await form.getByLabel('Título').fill('Taller con docentes');
    await form.getByLabel('Descripción').fill('Sesión adicional acordada con la OEA');
    await form.getByLabel('Fecha', { exact: true }).fill('2024-12-02');
    await form.getByLabel('Hora', { exact: true }).fill('10:30');
    await form.getByLabel('Zona horaria').selectOption('America/Panama');
    await form.getByRole('button', { name: 'Añadir hito' }).click();
    await milestones.dialog.getByRole('row').filter({ hasText: 'Taller con docentes' }).waitFor();
    expect(server.context.milestones.list(server.documentId).find((m) => m.title === 'Taller con docentes')).toMatchObject({ dueAt: '2024-12-02T15:30:00.000Z', timeZone: 'America/Panama' });
    expect(await milestones.statusOf('Taller con docentes')).toBe('Pendiente');

    await milestones.dialog.getByRole('button', { name: 'Editar «Taller con docentes»' }).click();
    const edit = milestones.dialog.getByRole('form', { name: 'Editar hito' });
    await edit.getByLabel('Título').fill('Taller con docentes orientadores');
    await edit.getByRole('button', { name: 'Guardar cambios' }).click();
    await milestones.dialog.getByRole('row').filter({ hasText: 'Taller con docentes orientadores' }).waitFor();
    await milestones.dialog.getByRole('button', { name: 'Eliminar «Taller con docentes orientadores»' }).click();
    await milestones.dialog.getByRole('button', { name: 'Confirmar' }).click();
    await expect.poll(() => milestones.dialog.getByRole('row').filter({ hasText: 'Taller con docentes' }).count()).toBe(0);
    await milestones.close();

    const versions = await new VersionsDialog(page).open();
    await versions.dialog.getByLabel('Nombre de la versión').fill('Antes del taller');
    await versions.dialog.getByRole('button', { name: 'Capturar versión' }).click();
    await expect.poll(() => versions.versionNames()).toContain('Antes del taller');
    await versions.dialog.getByRole('button', { name: 'Cerrar' }).click();

    await plan.typeAfter('Calendario de implementación', ' Texto que luego se deshace.');
    await expect.poll(() => server.collab.room(server.documentId)!.doc.getXmlFragment(YName.body).toString(), { timeout: 5000 }).toContain('Texto que luego se deshace.');

    await versions.open();
    await versions.dialog.getByRole('button', { name: 'Restaurar «Antes del taller»' }).click();
    await versions.dialog.getByRole('button', { name: 'Confirmar' }).click();
    await expect.poll(() => plan.text(), { timeout: 10_000 }).not.toContain('Texto que luego se deshace.');
    await expect.poll(() => versions.versionNames()).toContain('Restaurado desde «Antes del taller»');
    expect(owner.errors.filter((e) => !/401/.test(e))).toEqual([]);
    await owner.close();
  });
});
