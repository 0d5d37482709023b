import { describe, expect, it } from 'vitest';
import { useStage } from './stage.ts';
import type { Page } from 'playwright-core';
import { Person, lengthenPlan } from './browser.ts';

const stage = useStage();

describe('journey 1: writing the plan together', () => {
  it('two people type in the same plan at the same time; both end identical and see each other’s named caret', async () => {
    const ana = await Person.enter(stage.browser);
    const beto = await Person.enter(stage.browser);
    const anaInvite = await stage.server.invite('editor', { name: 'Ana MTPE', delegation: 'Perú · MTPE' });
    const betoInvite = await stage.server.invite('editor', { name: 'Beto MTPE', delegation: 'Perú · MTPE' });
    const anaPlan = await ana.openInvite(anaInvite.url);
    const betoPlan = await beto.openInvite(betoInvite.url);
    expect(ana.page.url()).not.toContain('#'); // the invite token left the address bar

    await Promise.all([
      anaPlan.typeAfter('Indicadores, instrumentos', ' Texto de Ana.'),
      betoPlan.typeAfter('Calendario de implementación', ' Texto de Beto.'),
    ]);
    await expect.poll(() => anaPlan.text(), { timeout: 10_000 }).toContain('Texto de Beto.');
    await expect.poll(() => betoPlan.text(), { timeout: 10_000 }).toContain('Texto de Ana.');
    expect(await anaPlan.text()).toBe(await betoPlan.text());
    // Each where it was typed: at the end of the block it was typed into.
    expect(await anaPlan.text()).toMatch(/Indicadores, instrumentos[^\n]* Texto de Ana\./);
    expect(await anaPlan.text()).toMatch(/Calendario de implementación[^\n]* Texto de Beto\./);

    await expect.poll(() => anaPlan.caretLabels(), { timeout: 10_000 }).toContain('Beto MTPE');
    await expect.poll(() => betoPlan.caretLabels(), { timeout: 10_000 }).toContain('Ana MTPE');
    // Presence lists the other person with their delegation.
    await ana.page.getByRole('list', { name: 'Personas en este plan' }).getByText('Beto MTPE').first().waitFor({ timeout: 5000 });
    expect(ana.errors.filter((e) => !/401/.test(e))).toEqual([]);
    await ana.close();
    await beto.close();
  });

  it('journey 6: a person keeps writing without a connection, through a reload, and everything merges on reconnect', async () => {
    const carla = await Person.enter(stage.browser);
    const dario = await Person.enter(stage.browser);
    const carlaPlan = await carla.openInvite((await stage.server.invite('editor', { name: 'Carla' })).url);
    const darioPlan = await dario.openInvite((await stage.server.invite('editor', { name: 'Dario' })).url);

    // Carla's websocket is cut (the page and the rest of HTTP still load).
    const reconnect = await carla.cutCollab();
    await carla.page.reload();
    await carlaPlan.editor.waitFor();
    await carlaPlan.typeAfter('Pasos a seguir por parte del MTPE', ' Escrito sin conexión.');
    await darioPlan.typeAfter('Calendario de implementación', ' Escrito en línea.');
    await carla.page.getByRole('status').filter({ hasText: /cambios guardados en este dispositivo/ }).waitFor({ timeout: 10_000 });

    // A reload while still cut off keeps what was written (IndexedDB).
    await carla.page.reload();
    await carlaPlan.editor.waitFor();
    await expect.poll(() => carlaPlan.text(), { timeout: 10_000 }).toContain('Escrito sin conexión.');
    expect(await darioPlan.text()).not.toContain('Escrito sin conexión.');

    // Back online: both converge.
    reconnect();
    await carla.page.reload();
    await carlaPlan.waitUntilConnected();
    await expect.poll(() => darioPlan.text(), { timeout: 15_000 }).toContain('Escrito sin conexión.');
    await expect.poll(() => carlaPlan.text(), { timeout: 15_000 }).toContain('Escrito en línea.');
    expect(await carlaPlan.text()).toBe(await darioPlan.text());
    await carla.close();
    await dario.close();
  });

  it('jumping to a heading far down the plan from the outline and typing writes at the end of that heading', async () => {
    const gloria = await Person.enter(stage.browser);
    const plan = await gloria.openInvite((await stage.server.invite('editor', { name: 'Gloria' })).url);
    // Far below the first screen, where blocks may not be rendered yet (content-visibility, editor.css).
    await gloria.page.getByRole('navigation', { name: 'Índice del plan' }).getByRole('button', { name: '8. Próximos pasos' }).click();
    // The editor takes the focus on the next frame (Tiptap's focus command).
    await plan.editor.and(gloria.page.locator(':focus')).waitFor();
    await gloria.page.keyboard.type(' y cierre');
    await expect.poll(() => plan.text(), { timeout: 10_000 }).toContain('\n8. Próximos pasos y cierre\n');
    expect(gloria.errors.filter((e) => !/401/.test(e))).toEqual([]);
    await gloria.close();
  });

  it('Ctrl+End and Ctrl+Home put the caret at the very end and start of the plan', async () => {
    const hugo = await Person.enter(stage.browser);
    const plan = await hugo.openInvite((await stage.server.invite('editor', { name: 'Hugo' })).url);
    await plan.typeAfter('Plan de Trabajo para la mejora del SOVIO', '');
    // The last block is far below the first screen: the browser alone would put the caret at its start.
    await hugo.page.keyboard.press('Control+End');
    await hugo.page.keyboard.type(' Fin.');
    await hugo.page.keyboard.press('Control+Home');
    await hugo.page.keyboard.type('Inicio: ');
    await expect.poll(() => plan.text(), { timeout: 10_000 }).toMatch(/^Inicio: Plan de Trabajo[\s\S]*tercera sesión de cooperación\.[^\n]* Fin\.$/);
    expect(hugo.errors.filter((e) => !/401/.test(e))).toEqual([]);
    await hugo.close();
  });

  it('the paragraph being typed in is laid out on its own and its height follows the text as lines come and go', async () => {
    const ines = await Person.enter(stage.browser);
    const plan = await ines.openInvite((await stage.server.invite('editor', { name: 'Inés' })).url);
    const words = ' una frase bastante larga para que el párrafo ocupe varias líneas más'.repeat(4);
    await plan.typeAfter('Calendario de implementación', words, 0);
    const grown = await caretBlockFit(ines.page);
    expect(grown.fixed).toBe(true);
    expect(grown.lines).toBeGreaterThanOrEqual(3);
    expect(Math.abs(grown.height - grown.natural)).toBeLessThanOrEqual(1);
    expect(grown.nextTop).toBeGreaterThanOrEqual(grown.textBottom);
    // Lines removed: the height comes down with them.
    for (let i = 0; i < words.length - 20; i++) await ines.page.keyboard.press('Backspace');
    const shrunk = await caretBlockFit(ines.page);
    expect(shrunk.lines).toBeLessThan(grown.lines);
    expect(Math.abs(shrunk.height - shrunk.natural)).toBeLessThanOrEqual(1);
    // The caret leaves it: it is laid out with the others again, no height written on it.
    await ines.page.keyboard.press('Control+Home');
    await expect.poll(() => ines.page.evaluate(() => document.querySelectorAll('.plan-block--fixed, .ProseMirror > [style*="height"], .plan-chunk > [style*="height"]').length)).toBe(1);
    expect(await ines.page.evaluate(() => [...document.querySelectorAll('.ProseMirror > [style*="height"], .plan-chunk > [style*="height"]')].map((b) => b.textContent?.slice(0, 20)))).not.toContainEqual(expect.stringContaining('Calendario'));
    expect(ines.errors.filter((e) => !/401/.test(e))).toEqual([]);
    await ines.close();
  });

  it('the editor knows which blocks Chromium is not rendering (a remote change there cannot move the caret)', async () => {
    const lucia = await Person.enter(stage.browser);
    const plan = await lucia.openInvite((await stage.server.invite('editor', { name: 'Lucía' })).url);
    await plan.editor.click();
    // A plan long enough to be several groups of blocks (blockGroups.ts): the sample is one.
    await lengthenPlan(lucia.page, 160);
    await lucia.page.keyboard.press('Control+End');
    const unrendered = () =>
      lucia.page.evaluate(() => {
        type View = { state: { doc: { childCount: number; child(i: number): { nodeSize: number } }; selection: { head: number } }; someProp(name: string, f: (g: (...a: unknown[]) => unknown) => unknown): unknown };
        const view = (document.querySelector('.ProseMirror') as unknown as { editor: { view: View } }).editor.view;
        const { doc } = view.state;
        const ask = (from: number, to: number) => view.someProp('unrenderedBlocksBetween', (f) => f(view, from, to));
        const lastStart = Array.from({ length: doc.childCount - 1 }, (_, i) => doc.child(i).nodeSize).reduce((a, b) => a + b, 0);
        // someProp gives the first truthy answer, so "rendered" reads as undefined.
        return { first: ask(0, doc.child(0).nodeSize) === true, last: ask(lastStart, lastStart + doc.child(doc.childCount - 1).nodeSize) === true };
      });
    // At the end of the plan: its first block is far above the viewport, not rendered; the
    // block holding the caret is.
    await expect.poll(async () => (await unrendered()).first, { timeout: 10_000 }).toBe(true);
    expect((await unrendered()).last).toBe(false);
    // Back at the start, the first block is rendered again.
    await lucia.page.keyboard.press('Control+Home');
    await expect.poll(async () => (await unrendered()).first, { timeout: 10_000 }).toBe(false);
    await lucia.close();
  });

  it('someone typing far below asks this browser for no frame (their change draws nothing here)', async () => {
    const irene = await Person.enter(stage.browser);
    const jorge = await Person.enter(stage.browser);
    const irenePlan = await irene.openInvite((await stage.server.invite('editor', { name: 'Irene' })).url);
    const jorgePlan = await jorge.openInvite((await stage.server.invite('editor', { name: 'Jorge' })).url);
    // A plan long enough to be several groups of blocks (blockGroups.ts): the sample is one.
    await lengthenPlan(jorge.page, 160);
    await expect.poll(() => irenePlan.text(), { timeout: 10_000 }).toContain('Párrafo añadido 160.');
    await irenePlan.typeAfter('Plan de Trabajo para la mejora del SOVIO', '');
    await jorgePlan.editor.click();
    await jorge.page.keyboard.press('Control+End');
    await irene.page.waitForTimeout(500); // Jorge's caret has arrived and been drawn
    // Count the frames Irene's page asks for from now on.
    await irene.page.evaluate(() => {
      const state = window as unknown as { __frameRequests: number };
      state.__frameRequests = 0;
      const request = window.requestAnimationFrame.bind(window);
      window.requestAnimationFrame = (callback) => {
        state.__frameRequests++;
        return request(callback);
      };
    });
    await jorge.page.keyboard.type(' Cierre de Jorge.', { delay: 20 });
    await expect.poll(() => irenePlan.text(), { timeout: 10_000 }).toMatch(/ Cierre de Jorge\.$/);
    await irene.page.waitForTimeout(300);
    // Her editor, offline copy and caret took each keystroke without asking for a frame (a
    // frame asked for an off-screen change draws nothing and delays her next key's frame).
    expect(await irene.page.evaluate(() => (window as unknown as { __frameRequests: number }).__frameRequests)).toBe(0);
    // Her own typing still goes on screen and to Jorge.
    await irene.page.keyboard.type(' (borrador)');
    await expect.poll(() => jorgePlan.text(), { timeout: 10_000 }).toMatch(/Plan de Trabajo para la mejora del SOVIO \(borrador\)/);
    expect([...irene.errors, ...jorge.errors].filter((e) => !/401/.test(e))).toEqual([]);
    await irene.close();
    await jorge.close();
  });

  it('a remote edit keeps the other blocks as they were, and the caret stays in its text through edits and block moves', async () => {
    const elena = await Person.enter(stage.browser);
    const fabio = await Person.enter(stage.browser);
    const elenaPlan = await elena.openInvite((await stage.server.invite('editor', { name: 'Elena' })).url);
    const fabioPlan = await fabio.openInvite((await stage.server.invite('editor', { name: 'Fabio' })).url);

    // Elena's caret sits inside a paragraph, after "Indicadores,".
    await elenaPlan.caretAt('Indicadores,', 'after');
    await rememberBlocks(elena.page);
    await watchRemoteSteps(elena.page);
    await fabio.page.waitForTimeout(300); // Elena's caret, sent after her next frame, has reached Fabio
    await countAwarenessUpdates(fabio.page, elena.page);

    // Fabio types in another paragraph; Elena's editor shows it.
    await fabioPlan.typeAfter('Calendario de implementación', ' Revisión de Fabio.');
    await expect.poll(() => elenaPlan.text(), { timeout: 10_000 }).toMatch(/Calendario de implementación[^\n]* Revisión de Fabio\./);
    // Only the block Fabio changed is new in Elena's document: the others are the very same
    // ProseMirror nodes (the collaboration binding no longer rebuilds the whole plan on every
    // remote change: client/build/y-tiptap-patches.ts) and the same DOM elements.
    const changed = await changedBlocks(elena.page);
    expect(changed.count).toBe(await rememberedCount(elena.page));
    expect(changed.newNodes).toEqual([expect.stringContaining('Revisión de Fabio.')]);
    expect(changed.newElements).toBeLessThanOrEqual(1);
    // Each of Fabio's keystrokes reached Elena's editor as a step over that one block, not over
    // the whole plan (which made every plugin that looks at what changed look at all of it).
    const steps = await remoteSteps(elena.page);
    expect(steps.length).toBeGreaterThanOrEqual(5);
    for (const step of steps) expect(step.to - step.from).toBeLessThan(step.blockSize + 2);
    // And Elena's browser did not answer each of them by sending her unchanged caret to everyone.
    await fabio.page.waitForTimeout(300);
    expect(await awarenessUpdatesCounted(fabio.page)).toBe(0);
    await elena.page.keyboard.type(' uno');
    await expect.poll(() => fabioPlan.text(), { timeout: 10_000 }).toContain('Indicadores, uno instrumentos');

    // Fabio moves the last paragraph in front of Elena's: her caret follows its text.
    await fabio.page.evaluate(() => {
      const editor = (document.querySelector('.ProseMirror') as unknown as { editor: MovableEditor }).editor;
      const { doc } = editor.state;
      let from = -1;
      let to = -1;
      // The plan's blocks, inside its groups when it has them (blockGroups.ts).
      doc.descendants((node, offset) => {
        if (node.type.name === 'planChunk') return true;
        if (node.textContent.startsWith('Pasos a seguir por parte del MTPE')) from = offset;
        if (node.textContent.startsWith('Indicadores,')) to = offset;
        return false;
      });
      const moved = doc.nodeAt(from)!;
      editor.view.dispatch(editor.state.tr.delete(from, from + moved.nodeSize).insert(to, moved));
    });
    await expect.poll(() => elenaPlan.text(), { timeout: 10_000 }).toMatch(/Pasos a seguir por parte del MTPE[^\n]*\nIndicadores, uno instrumentos/);
    await elena.page.keyboard.type(' dos');
    await expect.poll(() => fabioPlan.text(), { timeout: 10_000 }).toContain('Indicadores, uno dos instrumentos');
    expect(await elenaPlan.text()).toBe(await fabioPlan.text());
    expect([...elena.errors, ...fabio.errors].filter((e) => !/401/.test(e))).toEqual([]);
    await elena.close();
    await fabio.close();
  });

  it('selected table cells stay selected as cells while someone else types, in the table too', async () => {
    const lucia = await Person.enter(stage.browser);
    const marco = await Person.enter(stage.browser);
    const luciaPlan = await lucia.openInvite((await stage.server.invite('editor', { name: 'Lucía' })).url);
    const marcoPlan = await marco.openInvite((await stage.server.invite('editor', { name: 'Marco' })).url);
    await luciaPlan.editor.click();
    // Lucía selects two cells of the actions table (a cell selection, as by dragging across them).
    await lucia.page.evaluate(() => {
      type Node = { type: { name: string }; textContent: string };
      const editor = (document.querySelector('.ProseMirror') as unknown as { editor: { state: { doc: { descendants(f: (node: Node, pos: number) => boolean): void } }; commands: { setCellSelection(p: { anchorCell: number; headCell: number }): boolean; focus(): boolean } } }).editor;
      const cells = new Map<string, number>();
      editor.state.doc.descendants((node, pos) => {
        if (node.type.name === 'tableCell') cells.set(node.textContent, pos);
        return !cells.has('Guías publicadas');
      });
      editor.commands.setCellSelection({ anchorCell: cells.get('Marzo 2025')!, headCell: cells.get('Guías publicadas')! });
    });
    const selected = () =>
      lucia.page.evaluate(() => {
        type Sel = { toJSON(): { type: string }; content(): { content: { textBetween(a: number, b: number, sep: string): string; size: number } } };
        const { selection } = (document.querySelector('.ProseMirror') as unknown as { editor: { state: { selection: Sel } } }).editor.state;
        const { content } = selection.content();
        return `${selection.toJSON().type}: ${content.textBetween(0, content.size, ' | ')}`;
      });
    expect(await selected()).toBe('cell: Marzo 2025 | Guías publicadas');

    // Marco types in a paragraph, then in another cell of the same table.
    await marcoPlan.typeAfter('Calendario de implementación', ' Revisado.');
    await expect.poll(() => luciaPlan.text(), { timeout: 10_000 }).toMatch(/Calendario de implementación[^\n]* Revisado\./);
    expect(await selected()).toBe('cell: Marzo 2025 | Guías publicadas');
    await marcoPlan.typeAfter('Junio 2025', ' (por confirmar)');
    await expect.poll(() => luciaPlan.text(), { timeout: 10_000 }).toContain('Junio 2025 (por confirmar)');
    expect(await selected()).toBe('cell: Marzo 2025 | Guías publicadas');

    // A deletion now empties the two cells, and only them, for both.
    await lucia.page.keyboard.press('Backspace');
    const emptied = (text: string) => !text.includes('Marzo 2025') && !text.includes('Guías publicadas') && /Equipo SOVIO\n\n\n3 guías/.test(text);
    await expect.poll(async () => emptied(await luciaPlan.text())).toBe(true);
    await expect.poll(async () => emptied(await marcoPlan.text()), { timeout: 10_000 }).toBe(true);
    expect(await marcoPlan.text()).toBe(await luciaPlan.text());
    expect([...lucia.errors, ...marco.errors].filter((e) => !/401/.test(e))).toEqual([]);
    await lucia.close();
    await marco.close();
  });
});

/** The part of Tiptap's editor (on `.ProseMirror` as `editor`) that the block move uses. */
interface MovableEditor {
  state: {
    doc: { descendants(f: (node: { textContent: string; nodeSize: number; type: { name: string } }, offset: number) => boolean): void; nodeAt(pos: number): { nodeSize: number } | null };
    tr: { delete(from: number, to: number): { insert(pos: number, node: unknown): unknown } };
  };
  view: { dispatch(tr: unknown): void };
}

type TiptapOnPage = { on(event: 'transaction', f: (props: { transaction: RemoteTransaction }) => void): void; state: { doc: { content: { size: number } } } };
interface RemoteTransaction {
  getMeta(key: string): { isChangeOrigin?: boolean } | undefined;
  steps: Array<{ from?: number; to?: number }>;
  before: { content: { size: number }; resolve(pos: number): { node(depth: number): { nodeSize: number } } };
}

/** Record the range of every step of the remote changes the editor applies from now on. */
async function watchRemoteSteps(page: Page): Promise<void> {
  await page.evaluate(() => {
    const editor = (document.querySelector('.ProseMirror') as unknown as { editor: TiptapOnPage }).editor;
    const steps: Array<{ from: number; to: number; blockSize: number; docSize: number }> = [];
    (window as unknown as { __remoteSteps: typeof steps }).__remoteSteps = steps;
    editor.on('transaction', ({ transaction }) => {
      if (!transaction.getMeta('y-sync$')?.isChangeOrigin) return;
      for (const step of transaction.steps) {
        if (step.from === undefined || step.to === undefined) continue;
        // The size of the first block the step touches (the whole plan's, were it the document).
        const inside = Math.min(step.from + 1, transaction.before.content.size);
        const $inside = transaction.before.resolve(inside) as unknown as { depth: number; node(depth: number): { nodeSize: number; type: { name: string } } };
        // The block: at depth 1, or 2 inside a group of blocks (blockGroups.ts).
        const depth = $inside.depth >= 2 && $inside.node(1).type.name === 'planChunk' ? 2 : 1;
        const blockSize = $inside.node(depth).nodeSize;
        steps.push({ from: step.from, to: step.to, blockSize, docSize: transaction.before.content.size });
      }
    });
  });
}

function remoteSteps(page: Page): Promise<Array<{ from: number; to: number; blockSize: number; docSize: number }>> {
  return page.evaluate(() => (window as unknown as { __remoteSteps: Array<{ from: number; to: number; blockSize: number; docSize: number }> }).__remoteSteps);
}

/** Count, on `page`, the awareness updates that come from the person on `other` (their Yjs client id). */
async function countAwarenessUpdates(page: Page, other: Page): Promise<void> {
  type Caret = { options: { provider: { awareness: { clientID: number; on(event: 'update', f: (change: { added: number[]; updated: number[]; removed: number[] }) => void): void } } } };
  const find = () => {
    const editor = (document.querySelector('.ProseMirror') as unknown as { editor: { extensionManager: { extensions: Array<{ name: string } & Caret> } } }).editor;
    return editor.extensionManager.extensions.find((e) => e.name === 'collaborationCaret')!.options.provider.awareness;
  };
  const otherId = await other.evaluate(`(${find.toString()})().clientID`);
  await page.evaluate(`(() => {
    window.__awarenessFrom = 0;
    (${find.toString()})().on('update', (change) => {
      if ([...change.added, ...change.updated, ...change.removed].includes(${Number(otherId)})) window.__awarenessFrom++;
    });
  })()`);
}

function awarenessUpdatesCounted(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __awarenessFrom: number }).__awarenessFrom);
}

/** Keep the editor's top-level ProseMirror nodes and DOM elements, to compare after a remote change. */
async function rememberBlocks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const dom = document.querySelector('.ProseMirror') as unknown as HTMLElement & { editor: { state: { doc: { childCount: number; child(i: number): unknown } } } };
    const { doc } = dom.editor.state;
    // The plan's blocks: the editor's children, or its groups' children (blockGroups.ts).
    type Parent = { childCount: number; child(i: number): unknown };
    const kids = (node: Parent) => Array.from({ length: node.childCount }, (_, i) => node.child(i));
    const blocks = kids(doc).flatMap((node) => ((node as { type: { name: string } }).type.name === 'planChunk' ? kids(node as Parent) : [node]));
    const elements = [...dom.children].flatMap((element) => (element.classList.contains('plan-chunk') ? [...element.children] : [element]));
    (window as unknown as { __blocks: unknown }).__blocks = { nodes: new Set(blocks), elements: new Set(elements) };
  });
}

function rememberedCount(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __blocks: { nodes: Set<unknown> } }).__blocks.nodes.size);
}

/** The text of the top-level nodes that are not the remembered ones, and how many top-level elements are new. */
function changedBlocks(page: Page): Promise<{ count: number; newNodes: string[]; newElements: number }> {
  return page.evaluate(() => {
    const dom = document.querySelector('.ProseMirror') as unknown as HTMLElement & { editor: { state: { doc: { childCount: number; child(i: number): { textContent: string } } } } };
    const { nodes, elements } = (window as unknown as { __blocks: { nodes: Set<unknown>; elements: Set<Element> } }).__blocks;
    const { doc } = dom.editor.state;
    type Block = { textContent: string; type: { name: string }; childCount: number; child(i: number): Block };
    const kids = (node: { childCount: number; child(i: number): unknown }) => Array.from({ length: node.childCount }, (_, i) => node.child(i) as Block);
    const children = kids(doc).flatMap((node) => (node.type.name === 'planChunk' ? kids(node) : [node]));
    const blockElements = [...dom.children].flatMap((element) => (element.classList.contains('plan-chunk') ? [...element.children] : [element]));
    return {
      count: children.length,
      newNodes: children.filter((node) => !nodes.has(node)).map((node) => node.textContent),
      newElements: blockElements.filter((element) => !elements.has(element)).length,
    };
  });
}

/**
 * The block holding the caret: whether it is fixed (caretBlockBoundary.ts), its written height,
 * the height its text takes when laid out freely, its number of lines, where its text ends and
 * where the next block starts.
 */
function caretBlockFit(page: Page): Promise<{ fixed: boolean; height: number; natural: number; lines: number; textBottom: number; nextTop: number }> {
  return page.evaluate(() => {
    const selection = document.getSelection()!;
    let block = selection.focusNode as Node | null;
    const root = document.querySelector('.ProseMirror')!;
    // A block is a child of the editor's root or of one of its groups (blockGroups.ts).
    while (block && block.parentNode !== root && !(block.parentNode as Element | null)?.classList?.contains('plan-chunk')) block = block.parentNode;
    const element = block as HTMLElement;
    const fixed = element.classList.contains('plan-block--fixed');
    const height = element.getBoundingClientRect().height;
    const range = document.createRange();
    range.selectNodeContents(element);
    const rects = [...range.getClientRects()];
    const lines = new Set(rects.map((r) => Math.round(r.top))).size;
    const textBottom = Math.max(...rects.map((r) => r.bottom));
    const nextTop = (element.nextElementSibling as HTMLElement).getBoundingClientRect().top;
    // Its height laid out freely, on a copy next to it (the block itself is left alone).
    const copy = element.cloneNode(true) as HTMLElement;
    copy.classList.remove('plan-block--fixed');
    copy.style.removeProperty('height');
    element.after(copy);
    const natural = copy.getBoundingClientRect().height;
    copy.remove();
    return { fixed, height, natural, lines, textBottom, nextTop };
  });
}
