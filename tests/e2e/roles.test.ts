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
});
