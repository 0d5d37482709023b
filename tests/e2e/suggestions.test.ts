import { describe, expect, it } from 'vitest';
import { useStage } from './stage.ts';
import { Person } from './browser.ts';

const stage = useStage();

describe('journey 2: Panama proposes, Peru decides', () => {
  it('a suggester replaces a sentence; an editor sees it live and accepts it; another suggestion is rejected', async () => {
    const panama = await Person.enter(stage.browser);
    const peru = await Person.enter(stage.browser);
    const suggesterPlan = await panama.openInvite((await stage.server.invite('suggester', { name: 'Equipo Orienta Panamá', delegation: 'Panamá · MITRADEL' })).url);
    const editorPlan = await peru.openInvite((await stage.server.invite('editor', { name: 'Especialista MTPE', delegation: 'Perú · MTPE' })).url);

    // The suggester can only suggest: "Sugerir" is on, "Editar" is not available.
    const modes = panama.page.getByRole('radiogroup', { name: 'Modo de escritura' });
    expect(await modes.getByRole('radio', { name: 'Sugerir' }).getAttribute('aria-checked')).toBe('true');
    expect(await modes.getByRole('radio', { name: 'Editar' }).isDisabled()).toBe(true);

    await suggesterPlan.selectPhrase('Calendario de implementación de las acciones de mejora.');
    await panama.page.keyboard.type('Cronograma trimestral 2025.', { delay: 10 });
    await panama.page.locator('ins.suggestion--insertion', { hasText: 'Cronograma trimestral 2025.' }).waitFor();
    await panama.page.locator('del.suggestion--deletion', { hasText: 'Calendario de implementación' }).waitFor();

    // Peru sees it live, attributed, and accepts it.
    await peru.page.locator('ins.suggestion--insertion', { hasText: 'Cronograma trimestral 2025.' }).waitFor({ timeout: 10_000 });
    const card = peru.page.locator('.suggestion-card', { hasText: 'Cronograma trimestral 2025.' });
    await card.locator('.suggestion-card__author', { hasText: 'Equipo Orienta Panamá' }).waitFor();
    await card.getByRole('button', { name: 'Aceptar', exact: true }).click();
    await expect.poll(() => editorPlan.text(), { timeout: 10_000 }).toContain('Cronograma trimestral 2025.');
    expect(await editorPlan.text()).not.toContain('Calendario de implementación de las acciones de mejora.');
    await expect.poll(() => suggesterPlan.text(), { timeout: 10_000 }).not.toContain('Calendario de implementación');
    expect(await panama.page.locator('ins.suggestion--insertion').count()).toBe(0);

    // A second suggestion is rejected: the text stays as it was.
    await suggesterPlan.typeAfter('Pasos a seguir por parte del MTPE', ' Añadir una cuarta sesión.');
    const second = peru.page.locator('.suggestion-card', { hasText: 'Añadir una cuarta sesión.' });
    await second.waitFor({ timeout: 10_000 });
    await second.getByRole('button', { name: 'Rechazar', exact: true }).click();
    await expect.poll(() => editorPlan.text(), { timeout: 10_000 }).not.toContain('cuarta sesión');
    await expect.poll(() => suggesterPlan.text(), { timeout: 10_000 }).not.toContain('cuarta sesión');

    const finalText = await editorPlan.text();
    expect(finalText).toContain('6. Cronograma\nCronograma trimestral 2025.');
    expect(finalText).toContain('Pasos a seguir por parte del MTPE tras la tercera sesión de cooperación.');
    expect(await suggesterPlan.text()).toBe(finalText);

    // The decisions are recorded in each suggestion's thread on the stage.server.
    const { readThreads } = await import('../../shared/threads.ts');
    const threads = readThreads(stage.server.collab.room(stage.server.documentId)!.doc).filter((t) => t.kind === 'suggestion');
    expect(threads.map((t) => [t.status, t.events[0]?.by.name]).sort()).toEqual([
      ['accepted', 'Especialista MTPE'],
      ['rejected', 'Especialista MTPE'],
    ]);
    expect(panama.errors.filter((e) => !/401/.test(e))).toEqual([]);
    await panama.close();
    await peru.close();
  });

  it('a suggester proposes bold and italic with the usual shortcuts; the editor accepts one and rejects the other', async () => {
    const panama = await Person.enter(stage.browser);
    const peru = await Person.enter(stage.browser);
    const suggesterPlan = await panama.openInvite((await stage.server.invite('suggester', { name: 'Equipo Formato Panamá', delegation: 'Panamá · MITRADEL' })).url);
    const editorPlan = await peru.openInvite((await stage.server.invite('editor', { name: 'Editora MTPE', delegation: 'Perú · MTPE' })).url);

    await suggesterPlan.selectPhrase('Visitas guiadas a empresas.');
    await panama.page.keyboard.press('Control+B');
    await panama.page.locator('strong span.suggestion--format', { hasText: 'Visitas guiadas a empresas.' }).waitFor();
    await suggesterPlan.selectPhrase('Paneles de éxito.');
    await panama.page.keyboard.press('Control+I');
    await panama.page.locator('em span.suggestion--format', { hasText: 'Paneles de éxito.' }).waitFor();

    // The editor sees both, shown as proposed, each with a card saying what it changes.
    const bold = peru.page.locator('.suggestion-card', { hasText: 'Visitas guiadas a empresas.' });
    await bold.waitFor({ timeout: 10_000 });
    expect(await bold.locator('.suggestion-card__change').textContent()).toBe('Propone dar formato a Visitas guiadas a empresas.: añadir: negrita');
    await bold.locator('.suggestion-card__author', { hasText: 'Equipo Formato Panamá' }).waitFor();
    await peru.page.locator('strong span.suggestion--format', { hasText: 'Visitas guiadas a empresas.' }).waitFor();
    const italic = peru.page.locator('.suggestion-card', { hasText: 'Paneles de éxito.' });
    await italic.getByText('añadir: cursiva').waitFor();

    await bold.getByRole('button', { name: 'Aceptar', exact: true }).click();
    await italic.getByRole('button', { name: 'Rechazar', exact: true }).click();
    for (const plan of [editorPlan, suggesterPlan]) {
      await expect.poll(() => plan.editor.locator('span.suggestion--format').count(), { timeout: 10_000 }).toBe(0);
      expect(await plan.editor.locator('strong', { hasText: 'Visitas guiadas a empresas.' }).count()).toBe(1);
      expect(await plan.editor.locator('em', { hasText: 'Paneles de éxito.' }).count()).toBe(0);
      expect(await plan.editor.getByText('Paneles de éxito.').count()).toBe(1);
    }
    const { readThreads } = await import('../../shared/threads.ts');
    const decided = readThreads(stage.server.collab.room(stage.server.documentId)!.doc).filter((t) => t.kind === 'suggestion' && t.events[0]?.by.name === 'Editora MTPE');
    expect(decided.map((t) => t.status).sort()).toEqual(['accepted', 'rejected']);
    expect(panama.errors.filter((e) => !/401/.test(e))).toEqual([]);
    await panama.close();
    await peru.close();
  });

  it('a suggester proposes a paragraph as a heading and a heading as a paragraph from the toolbar; the editor accepts one and rejects the other', async () => {
    const panama = await Person.enter(stage.browser);
    const peru = await Person.enter(stage.browser);
    const suggesterPlan = await panama.openInvite((await stage.server.invite('suggester', { name: 'Equipo Estructura Panamá', delegation: 'Panamá · MITRADEL' })).url);
    const editorPlan = await peru.openInvite((await stage.server.invite('editor', { name: 'Editor Títulos MTPE', delegation: 'Perú · MTPE' })).url);
    const paragraph = 'Conocer la experiencia de Panamá';
    const heading = 'Objetivo general';

    await suggesterPlan.selectPhrase(paragraph);
    await panama.page.getByRole('toolbar').getByRole('button', { name: 'Título 2' }).click();
    await suggesterPlan.editor.locator('h2.suggestion-block--retype', { hasText: paragraph }).waitFor();
    await suggesterPlan.selectPhrase(heading);
    await panama.page.getByRole('toolbar').getByRole('button', { name: 'Párrafo' }).click();
    await suggesterPlan.editor.locator('p.suggestion-block--retype', { hasText: heading }).waitFor();

    // The editor sees both as proposed, each with a card saying what it changes.
    await editorPlan.editor.locator('h2.suggestion-block--retype', { hasText: paragraph }).waitFor({ timeout: 10_000 });
    const toHeading = peru.page.locator('.suggestion-card', { hasText: paragraph });
    await toHeading.waitFor({ timeout: 10_000 });
    expect(await toHeading.locator('.suggestion-card__change').textContent()).toMatch(new RegExp(`^Propone convertir en Título 2: ${paragraph}`));
    await toHeading.locator('.suggestion-card__author', { hasText: 'Equipo Estructura Panamá' }).waitFor();
    const toParagraph = peru.page.locator('.suggestion-card', { hasText: heading });
    expect(await toParagraph.locator('.suggestion-card__change').textContent()).toBe(`Propone convertir en párrafo: ${heading}`);

    await toHeading.getByRole('button', { name: 'Aceptar', exact: true }).click();
    await toParagraph.getByRole('button', { name: 'Rechazar', exact: true }).click();
    for (const plan of [editorPlan, suggesterPlan]) {
      await expect.poll(() => plan.editor.locator('.suggestion-block--retype').count(), { timeout: 10_000 }).toBe(0);
      expect(await plan.editor.locator('h2', { hasText: paragraph }).count()).toBe(1);
      expect(await plan.editor.locator('h3', { hasText: heading }).count()).toBe(1);
      expect(await plan.editor.locator('p', { hasText: heading }).count()).toBe(0);
    }
    expect(panama.errors.filter((e) => !/401/.test(e))).toEqual([]);
    await panama.close();
    await peru.close();
  });
});
