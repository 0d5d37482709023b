/**
 * The editor holds the plan's blocks in groups (client/src/features/editor/blockGroups.ts) that
 * people never see: keys at a group's edge do what they do between any two blocks, and the other
 * person gets the same plan.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useStage } from './stage.ts';
import { Person, type PlanPage, lengthenPlan } from './browser.ts';

const stage = useStage();

/** Make the blocks on both sides of the first group boundary two paragraphs; returns where the second starts. */
function boundaryParagraphs(page: Page, before: string, after: string): Promise<{ groups: number; secondStart: number; firstEnd: number }> {
  return page.evaluate(
    ([textBefore, textAfter]) => {
      type N = { type: { name: string }; nodeSize: number; childCount: number; child(i: number): N; lastChild: N };
      type Ed = {
        state: { doc: N & { forEach(f: (n: N, pos: number) => void): void }; schema: { nodes: { paragraph: { create(a: null, c: unknown): unknown } }; text(t: string): unknown }; tr: { replaceWith(a: number, b: number, n: unknown): unknown } };
        view: { dispatch(tr: unknown): void; focus(): void };
        commands: { setTextSelection(pos: number): boolean };
      };
      const editor = (document.querySelector('.ProseMirror') as unknown as { editor: Ed }).editor;
      const { state } = editor;
      const first = state.doc.child(0);
      const lastStart = first.nodeSize - 1 - first.lastChild.nodeSize;
      const secondGroupStart = first.nodeSize;
      const para = (text: string) => state.schema.nodes.paragraph.create(null, state.schema.text(text));
      // The second group's first block, then the first group's last block (positions before it stay put).
      const tr = state.tr as unknown as { replaceWith(a: number, b: number, n: unknown): typeof tr; doc: Ed['state']['doc'] };
      tr.replaceWith(secondGroupStart + 1, secondGroupStart + 1 + state.doc.child(1).child(0).nodeSize, para(textAfter));
      tr.replaceWith(lastStart, lastStart + first.lastChild.nodeSize, para(textBefore));
      editor.view.dispatch(tr);
      const doc = editor.state.doc;
      const firstGroup = doc.child(0);
      return { groups: doc.childCount, secondStart: firstGroup.nodeSize + 2, firstEnd: firstGroup.nodeSize - 2 };
    },
    [before, after] as const,
  );
}

function setCaret(page: Page, pos: number): Promise<void> {
  return page.evaluate((at) => {
    const editor = (document.querySelector('.ProseMirror') as unknown as { editor: { commands: { setTextSelection(p: number): boolean; focus(): boolean } } }).editor;
    editor.commands.focus();
    editor.commands.setTextSelection(at);
  }, pos);
}

/** The bounding box of the page's selection. */
function selectionBox(page: Page): Promise<{ x: number; y: number; width: number; height: number }> {
  return page.evaluate(() => {
    const rect = getSelection()!.getRangeAt(0).getBoundingClientRect();
    return { x: rect.x, y: rect.y, width: rect.width, height: rect.height };
  });
}

/** A point just after the end of `text` on screen (the middle of its last line). */
function textEnd(page: Page, text: string): Promise<{ x: number; y: number }> {
  return page.evaluate((target) => {
    const walker = document.createTreeWalker(document.querySelector('.ProseMirror')!, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent!.indexOf(target);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at + target.length - 1);
      range.setEnd(node, at + target.length);
      const rect = range.getBoundingClientRect();
      return { x: rect.right + 1, y: rect.top + rect.height / 2 };
    }
    throw new Error(`text not found: ${target}`);
  }, text);
}

/**
 * Two editors on one plan, which the first makes long enough for several groups of blocks
 * (both have seen the added paragraphs).
 */
async function twoOnALongPlan(writerName: string, readerName: string): Promise<{ writer: Person; reader: Person; plan: PlanPage; other: PlanPage }> {
  const writer = await Person.enter(stage.browser);
  const reader = await Person.enter(stage.browser);
  const plan = await writer.openInvite((await stage.server.invite('editor', { name: writerName })).url);
  const other = await reader.openInvite((await stage.server.invite('editor', { name: readerName })).url);
  await plan.editor.click();
  expect(await lengthenPlan(writer.page, 120)).toBeGreaterThan(2);
  await expect.poll(() => other.text(), { timeout: 10_000 }).toContain('Párrafo añadido 120.');
  return { writer, reader, plan, other };
}

describe('block groups', () => {
  it('Backspace and Delete at the edge of a group join the two paragraphs, for both people', async () => {
    const { writer: eva, reader: fede, plan, other } = await twoOnALongPlan('Eva', 'Fede');
    const first = await boundaryParagraphs(eva.page, 'Antes del borde.', 'Después del borde.');
    expect(first.groups).toBeGreaterThan(1);
    await setCaret(eva.page, first.secondStart);
    await eva.page.keyboard.press('Backspace');
    await expect.poll(() => plan.text()).toContain('Antes del borde.Después del borde.');
    await expect.poll(() => other.text(), { timeout: 10_000 }).toContain('Antes del borde.Después del borde.');

    // The two groups are one now in Eva's editor; someone opening the plan afresh gets it in groups again.
    const gina = await Person.enter(stage.browser);
    const third = await gina.openInvite((await stage.server.invite('editor', { name: 'Gina' })).url);
    await third.editor.click();
    const second = await boundaryParagraphs(gina.page, 'Fin del grupo.', 'Inicio del siguiente.');
    expect(second.groups).toBeGreaterThan(1);
    await setCaret(gina.page, second.firstEnd);
    await gina.page.keyboard.press('Delete');
    await expect.poll(() => third.text()).toContain('Fin del grupo.Inicio del siguiente.');
    await expect.poll(() => other.text(), { timeout: 10_000 }).toContain('Fin del grupo.Inicio del siguiente.');
    await expect.poll(() => plan.text(), { timeout: 10_000 }).toBe(await other.text());
    expect(eva.errors.filter((e) => !/401/.test(e))).toEqual([]);
    for (const person of [eva, fede, gina]) await person.close();
  });

  it('text dragged from one group into a block of the group before moves there, for both people', async () => {
    const { writer: ines, reader: joel, plan, other } = await twoOnALongPlan('Inés', 'Joel');
    // The first group's last block, and the next group's first: neighbours on screen, in two groups.
    const { groups } = await boundaryParagraphs(ines.page, 'Destino del arrastre.', 'Texto arrastrado hacia arriba y resto.');
    expect(groups).toBeGreaterThan(1);
    await plan.selectPhrase('Texto arrastrado hacia arriba');
    const dragged = await selectionBox(ines.page);
    const target = await ines.page.locator('.plan-chunk p', { hasText: 'Destino del arrastre.' }).first().boundingBox();
    expect(target).not.toBeNull();
    // Press on the selected text, drag it to just after "Destino del arrastre." and drop it there.
    await ines.page.mouse.move(dragged.x + dragged.width / 2, dragged.y + dragged.height / 2);
    await ines.page.mouse.down();
    await ines.page.mouse.move(dragged.x + dragged.width / 2, dragged.y - 5, { steps: 4 });
    const drop = await textEnd(ines.page, 'Destino del arrastre.');
    await ines.page.mouse.move(drop.x, drop.y, { steps: 6 });
    await ines.page.mouse.up();
    const moved = /Destino del arrastre\.\s?Texto arrastrado hacia arriba\n\s?y resto\./;
    await expect.poll(() => plan.text(), { timeout: 5_000 }).toMatch(moved);
    await expect.poll(() => other.text(), { timeout: 10_000 }).toMatch(moved);
    await expect.poll(() => other.text(), { timeout: 10_000 }).toBe(await plan.text());
    expect(ines.errors.filter((e) => !/401/.test(e))).toEqual([]);
    for (const person of [ines, joel]) await person.close();
  });
});
