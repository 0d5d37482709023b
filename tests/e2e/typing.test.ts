/**
 * Typed characters go straight into the editor's state (client/src/features/editor/
 * typedCharacters.ts): what typing does must be what it was when the browser inserted them.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useStage } from './stage.ts';
import { Person } from './browser.ts';

const stage = useStage();

/** Count, from now on, the `beforeinput` text insertions in the page and how many the editor took over. */
async function watchInsertions(page: Page): Promise<() => Promise<{ insertions: number; cancelled: number; data: string }>> {
  await page.evaluate(() => {
    const seen = { insertions: 0, cancelled: 0, data: '' };
    (window as unknown as { __insertions: typeof seen }).__insertions = seen;
    // On window, bubbling: after the editor's own listener decided.
    window.addEventListener('beforeinput', (event) => {
      if (event.inputType !== 'insertText' && event.inputType !== 'insertCompositionText') return;
      seen.insertions++;
      if (event.defaultPrevented) seen.cancelled++;
      seen.data += event.data ?? '';
    });
  });
  return () => page.evaluate(() => (window as unknown as { __insertions: { insertions: number; cancelled: number; data: string } }).__insertions);
}

/** The HTML of the top-level block holding the text `phrase`, without attributes (the editor's classes and heights). */
function blockHtml(page: Page, phrase: string): Promise<string | undefined> {
  return page.evaluate((text) => {
    const block = [...document.querySelectorAll('.ProseMirror > .plan-chunk > *, .ProseMirror > :not(.plan-chunk)')].find((element) => element.textContent?.includes(text));
    if (!block) return undefined;
    const copy = block.cloneNode(true) as Element;
    for (const element of [copy, ...copy.querySelectorAll('*')]) for (const name of element.getAttributeNames()) element.removeAttribute(name);
    return copy.outerHTML;
  }, phrase);
}

describe('typing in the plan', () => {
  it('typed keys go into the plan without the browser’s insertion, and reach the other person', async () => {
    const ana = await Person.enter(stage.browser);
    const beto = await Person.enter(stage.browser);
    const anaPlan = await ana.openInvite((await stage.server.invite('editor', { name: 'Ana' })).url);
    const betoPlan = await beto.openInvite((await stage.server.invite('editor', { name: 'Beto' })).url);
    await anaPlan.typeAfter('Calendario de implementación', '');
    const insertions = await watchInsertions(ana.page);
    await ana.page.keyboard.type(' con fechas (revisadas) Q3', { delay: 10 });
    const seen = await insertions();
    expect(seen.data).toBe(' con fechas (revisadas) Q3');
    // Every key was taken over by the editor (the browser inserted none of them itself).
    expect(seen.cancelled).toBe(seen.insertions);
    await expect.poll(() => anaPlan.text()).toMatch(/Calendario de implementación[^\n]* con fechas \(revisadas\) Q3/);
    await expect.poll(() => betoPlan.text(), { timeout: 10_000 }).toMatch(/Calendario de implementación[^\n]* con fechas \(revisadas\) Q3/);
    // Undo takes the typing back out, as before.
    await ana.page.keyboard.press('Control+z');
    await expect.poll(() => anaPlan.text()).not.toContain('con fechas');
    await expect.poll(() => betoPlan.text(), { timeout: 10_000 }).not.toContain('con fechas');
    expect(ana.errors.filter((e) => !/401/.test(e))).toEqual([]);
    await ana.close();
    await beto.close();
  });

  it('markdown shortcuts, a bold toggle and typing over a selection work as before', async () => {
    const carla = await Person.enter(stage.browser);
    const plan = await carla.openInvite((await stage.server.invite('editor', { name: 'Carla' })).url);
    await plan.typeAfter('Pasos a seguir por parte del MTPE', '');
    const insertions = await watchInsertions(carla.page);
    // Input rules run on typed text: "## " makes a heading, "- " a bulleted list.
    await carla.page.keyboard.press('Enter');
    await carla.page.keyboard.type('## Hitos del trimestre', { delay: 10 });
    await expect.poll(() => blockHtml(carla.page, 'Hitos del trimestre')).toBe('<h2>Hitos del trimestre</h2>');
    await carla.page.keyboard.press('Enter');
    await carla.page.keyboard.type('- primer hito', { delay: 10 });
    await expect.poll(() => blockHtml(carla.page, 'primer hito')).toBe('<ul><li><p>primer hito</p></li></ul>');
    // A mark switched on with an empty selection applies to what is typed next.
    await carla.page.keyboard.type(' con ', { delay: 10 });
    await carla.page.keyboard.press('Control+b');
    await carla.page.keyboard.type('fecha fija', { delay: 10 });
    await expect.poll(() => blockHtml(carla.page, 'primer hito')).toContain('primer hito con <strong>fecha fija</strong>');
    // A typed key replaces the selected text.
    await plan.selectPhrase('fecha fija');
    await carla.page.keyboard.type('X', { delay: 10 });
    await expect.poll(() => blockHtml(carla.page, 'primer hito')).toContain('primer hito con <strong>X</strong>');
    const seen = await insertions();
    expect(seen.insertions).toBeGreaterThan(30);
    expect(seen.cancelled).toBe(seen.insertions);
    expect(carla.errors.filter((e) => !/401/.test(e))).toEqual([]);
    await carla.close();
  });

  it('the caret stays lit while keys come in, and blinks again once typing stops', async () => {
    const elsa = await Person.enter(stage.browser);
    const plan = await elsa.openInvite((await stage.server.invite('editor', { name: 'Elsa' })).url);
    await plan.typeAfter('Objetivo general', '');
    const caretAnimation = () => elsa.page.evaluate(() => getComputedStyle(document.querySelector('.ProseMirror')!).getPropertyValue('caret-animation'));
    expect(await caretAnimation()).toBe('auto');
    // What the caret does at each key release, once the key has been handled.
    await elsa.page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __caret: string[] }).__caret = seen;
      window.addEventListener('keyup', () => seen.push(getComputedStyle(document.querySelector('.ProseMirror')!).getPropertyValue('caret-animation')));
    });
    // A person's pace (a key every 150 ms, longer than a blink would take to start: 500 ms in all).
    await elsa.page.keyboard.type(' y medible', { delay: 150 });
    await elsa.page.keyboard.press('ArrowLeft');
    const seen = await elsa.page.evaluate(() => (window as unknown as { __caret: string[] }).__caret);
    expect(seen).toHaveLength(' y medible'.length + 1);
    expect(new Set(seen)).toEqual(new Set(['manual']));
    // Then it blinks again, as in any text field.
    await expect.poll(caretAnimation, { timeout: 5_000 }).toBe('auto');
    await expect.poll(() => plan.text()).toMatch(/Objetivo general[^\n]* y medible/);
    expect(elsa.errors.filter((e) => !/401/.test(e))).toEqual([]);
    await elsa.close();
  });

  it('text that does not come from one key press (an input method, inserted text) is still the browser’s to insert', async () => {
    const dora = await Person.enter(stage.browser);
    const plan = await dora.openInvite((await stage.server.invite('editor', { name: 'Dora' })).url);
    await plan.typeAfter('Indicadores, instrumentos', '');
    const insertions = await watchInsertions(dora.page);
    // Text inserted without a key press (dictation, an on-screen keyboard, the accessibility API).
    await dora.page.keyboard.insertText(' según acta');
    // A composition, as an input method editor makes it (Japanese here): composed, then committed.
    const cdp = await dora.context.newCDPSession(dora.page);
    await cdp.send('Input.imeSetComposition', { text: 'か', selectionStart: 1, selectionEnd: 1 });
    await cdp.send('Input.imeSetComposition', { text: 'かい', selectionStart: 2, selectionEnd: 2 });
    await cdp.send('Input.insertText', { text: '会議' });
    await expect.poll(() => plan.text()).toMatch(/Indicadores, instrumentos[^\n]* según acta会議/);
    const seen = await insertions();
    expect(seen.insertions).toBeGreaterThanOrEqual(2);
    expect(seen.cancelled).toBe(0);
    // And a key typed after them goes the direct way again.
    await dora.page.keyboard.type('.', { delay: 10 });
    await expect.poll(() => plan.text()).toMatch(/según acta会議\./);
    expect((await insertions()).cancelled).toBe(1);
    expect(dora.errors.filter((e) => !/401/.test(e))).toEqual([]);
    await dora.close();
  });
});
