import { describe, expect, it } from 'vitest';
import { useStage } from './stage.ts';
import { Person } from './browser.ts';

const stage = useStage();

describe('roles in the browser', () => {
  it('an owner invites a viewer, who cannot type; promoted to editor, they can, without reloading', async () => {
    const owner = await Person.enter(stage.browser);
    const ownerPlan = await owner.openInvite((await stage.server.invite('owner', { name: 'Coordinación' })).url);
    const page = owner.page;

    await page.getByRole('button', { name: 'Participantes' }).click();
    const dialog = page.getByRole('dialog', { name: 'Participantes' });
    await dialog.getByLabel('Nombre').fill('Observadora OEA');
    await dialog.getByLabel('Delegación').fill('OEA');
    await dialog.getByLabel('Rol', { exact: true }).selectOption({ label: 'Lector' });
    await dialog.getByRole('button', { name: 'Añadir', exact: true }).click();
    await dialog.getByRole('button', { name: 'Invitar a Observadora OEA' }).click();
    await dialog.getByLabel('De un solo uso').check();
    await dialog.getByRole('button', { name: 'Crear enlace' }).click();
    const link = await dialog.getByRole('textbox', { name: 'Enlace de invitación para Observadora OEA' }).inputValue();
    expect(link).toMatch(/\/invite#[\w-]{20,}$/);

    const viewer = await Person.enter(stage.browser);
    const viewerPlan = await viewer.openInvite(link);
    await viewer.page.getByText(/no permite editar/).first().waitFor();
    expect(await viewer.page.getByRole('toolbar').count()).toBe(0);
    expect(await viewerPlan.editor.getAttribute('contenteditable')).toBe('false');
    await viewerPlan.editor.locator('p').first().click();
    await viewer.page.keyboard.type('no debería aparecer');
    expect(await viewerPlan.text()).not.toContain('no debería aparecer');

    // A single-use link works once only.
    const stranger = await Person.enter(stage.browser);
    await stranger.page.goto(link);
    await stranger.page.getByText(/ya se usó|already used/).first().waitFor({ timeout: 10_000 });
    await stranger.close();

    await dialog.getByLabel('Rol de Observadora OEA').selectOption({ label: 'Editor' });
    await expect.poll(() => viewerPlan.editor.getAttribute('contenteditable'), { timeout: 10_000 }).toBe('true');
    await viewerPlan.typeAfter('Calendario de implementación', ' Añadido tras el ascenso.');
    await expect.poll(() => ownerPlan.text(), { timeout: 10_000 }).toContain('Añadido tras el ascenso.');
    expect(viewer.page.url()).toContain('/d/'); // never reloaded through an invite again

    await viewer.close();
    await owner.close();
  });

  it('a change the server will never take (typed offline, then the role was lowered) is dropped with a message: the page and its offline copy reload as the server has it, and the text is offered to copy until discarded', async () => {
    const person = await Person.enter(stage.browser);
    const { url, userId } = await stage.server.invite('editor', { name: 'Elena Editora' });
    const plan = await person.openInvite(url);

    // Her connection drops; she keeps working from this device's copy.
    const reconnect = await person.cutCollab();
    await person.page.reload();
    await plan.editor.waitFor();
    await plan.typeAfter('Calendario de implementación', ' Escrito sin conexión.');
    await person.page.getByRole('status').filter({ hasText: /guardados? en este dispositivo/ }).first().waitFor({ timeout: 10_000 });

    // Meanwhile the owner makes her a reader; when she reconnects the server refuses her edit.
    await stage.server.workspace.changeRole(stage.server.documentId, userId, 'viewer');
    reconnect();
    await person.page.getByText(/rechazó un cambio suyo/).first().waitFor({ timeout: 20_000 });
    await expect.poll(() => plan.text(), { timeout: 10_000 }).not.toContain('Escrito sin conexión.');
    await plan.waitUntilConnected();
    await expect.poll(() => plan.editor.getAttribute('contenteditable'), { timeout: 10_000 }).toBe('false');
    const room = stage.server.collab.room(stage.server.documentId)!;
    expect(room.doc.getXmlFragment('default').toString()).not.toContain('Escrito sin conexión.');

    // What she typed is not lost with it: it is shown, with where it was, to copy.
    const dialog = person.page.getByRole('dialog', { name: 'Texto que no se guardó' });
    await dialog.waitFor({ timeout: 10_000 });
    const passages = dialog.getByRole('list', { name: 'Texto no guardado' }).getByRole('listitem');
    expect(await passages.count()).toBe(1);
    expect(await passages.first().locator('blockquote').textContent()).toBe(' Escrito sin conexión.');
    // Placed by the end of the paragraph she typed in (as the server has it).
    const paragraph = (await plan.text()).split('\n').find((line) => line.includes('Calendario de implementación'))!;
    expect(await passages.first().locator('.hint').textContent()).toMatch(new RegExp(`^Después de «….*${paragraph.slice(-20).replace(/[.()]/g, '\\$&')}»$`));
    await person.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(person.page.url()).origin });
    await dialog.getByRole('button', { name: 'Copiar el texto' }).click();
    await dialog.getByText('Texto copiado').waitFor();
    expect(await person.page.evaluate(() => navigator.clipboard.readText())).toBe(' Escrito sin conexión.');

    // "Later" leaves a way back; a reload keeps it (it is kept in this browser until discarded).
    await dialog.getByRole('button', { name: 'Más tarde' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const banner = person.page.getByRole('alert').filter({ hasText: 'Hay texto suyo que el servidor no guardó.' });
    await banner.getByRole('button', { name: 'Ver el texto' }).click();
    await dialog.waitFor();
    await person.page.keyboard.press('Escape');
    await banner.waitFor();
    await person.page.reload();
    await dialog.getByText('Escrito sin conexión.').waitFor({ timeout: 10_000 });
    await dialog.getByRole('button', { name: 'Descartar el texto' }).click();
    await dialog.getByRole('group', { name: 'Descartar el texto' }).getByRole('button', { name: 'Descartar', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await banner.count()).toBe(0);

    // Nothing of it survives on the device: a reload shows the server's plan, and says nothing.
    await person.page.reload();
    await plan.editor.waitFor();
    await plan.waitUntilConnected();
    await person.page.waitForTimeout(500);
    expect(await plan.text()).toContain('Calendario de implementación');
    expect(await plan.text()).not.toContain('Escrito sin conexión.');
    expect(await person.page.getByText(/rechazó un cambio suyo/).count()).toBe(0);
    expect(await dialog.count()).toBe(0);
    expect(await person.page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('minga-unsaved:')))).toEqual([]);
    await person.close();
  });
});
