/** Real Chromium for end-to-end tests, and page objects that read like PRODUCT.md's journeys. */
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

/** Launch Debian's Chromium headless with the flags this machine needs (and any `extraArgs`). */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage', ...extraArgs],
  });
}

/** A person in their own browser context (own cookies, own IndexedDB). */
export class Person {
  readonly errors: string[] = [];
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on('pageerror', (error) => this.errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') this.errors.push(message.text());
    });
  }

  /** Open a new context and page. */
  static async enter(browser: Browser): Promise<Person> {
    const context = await browser.newContext({ locale: 'es-PE', viewport: { width: 1280, height: 900 } });
    return new Person(context, await context.newPage());
  }

  /** Open an invite link: signs in and lands on the plan. */
  async openInvite(url: string): Promise<PlanPage> {
    await this.page.goto(url);
    await this.page.waitForURL(/\/d\//, { timeout: 15_000 });
    const plan = new PlanPage(this.page);
    await plan.editor.waitFor({ state: 'visible', timeout: 15_000 });
    await plan.waitUntilConnected();
    return plan;
  }

  /**
   * Cut this person's plan websockets (the page and the rest of HTTP still load) until the
   * returned function is called; sockets opened after that reach the server.
   */
  async cutCollab(): Promise<() => void> {
    let cut = true;
    await this.context.routeWebSocket(/\/collab\//, (ws) => {
      if (cut) ws.close();
      else ws.connectToServer();
    });
    return () => {
      cut = false;
    };
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

/** Let two frames pass (blocks scrolled near the viewport get rendered: see PlanPage.renderedFrames). */
async function renderedFrames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
}

/**
 * Put the caret at the end of `block`, a block of a contenteditable (the plan's editor, or a
 * bare one), and make sure it is there. A caret set by script into a block the browser has not
 * rendered yet (content-visibility: auto) can land elsewhere; under load it once did in CI
 * (typing went to the plan's start), and once in the bench (typed into another paragraph). So:
 * scroll to the block, let it render, set the caret, let ProseMirror read it, and check where
 * ProseMirror has it (without ProseMirror, where the DOM has it); retry if it is not there.
 */
export async function caretAtEndOf(block: Locator, what: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await block.scrollIntoViewIfNeeded();
    await renderedFrames(block.page());
    await block.evaluate((element) => {
      (element.closest('[contenteditable]') as HTMLElement).focus();
      const range = document.createRange();
      range.selectNodeContents(element);
      range.collapse(false);
      const selection = getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
    });
    // Let ProseMirror read the DOM selection before the first key.
    await block.page().waitForTimeout(50);
    const atEnd = await block.evaluate((element) => {
      // Where ProseMirror itself has the caret (Tiptap puts the editor on its root element).
      const root = element.closest('.ProseMirror') as HTMLElement & { editor?: { state: { selection: { empty: boolean; head: number } }; view: { domAtPos(pos: number): { node: Node; offset: number } } } };
      const editor = root?.editor;
      let caret: { node: Node; offset: number } | null;
      if (editor) caret = editor.state.selection.empty ? editor.view.domAtPos(editor.state.selection.head) : null;
      else caret = getSelection()?.isCollapsed && getSelection()!.focusNode ? { node: getSelection()!.focusNode!, offset: getSelection()!.focusOffset } : null;
      if (!caret || !element.contains(caret.node)) return false;
      const rest = document.createRange();
      rest.setStart(caret.node, caret.offset);
      rest.setEndAfter(element.lastChild ?? element);
      return rest.toString() === '';
    });
    if (atEnd) return;
    if (attempt === 5) throw new Error(`could not put the caret at the end of ${what}`);
  }
}

/** The plan editor screen. */
export class PlanPage {
  constructor(readonly page: Page) {}

  get editor() {
    return this.page.locator('.ProseMirror');
  }

  /** Wait for the connection indicator to say connected. */
  async waitUntilConnected(timeout = 15_000): Promise<void> {
    await this.page.getByRole('status').filter({ hasText: /Conectado|Connected/ }).first().waitFor({ timeout });
  }

  /** Put the caret at the end of the block that contains `text`, and type. */
  async typeAfter(text: string, typed: string, delay = 15): Promise<void> {
    const block = this.editor.locator('p, h1, h2, h3', { hasText: text }).first();
    await block.waitFor();
    await caretAtEndOf(block, `the block with "${text}"`);
    await this.page.keyboard.type(typed, { delay });
  }

  /** Select the first occurrence of `phrase` inside the plan (for replacing or commenting). */
  async selectPhrase(phrase: string): Promise<void> {
    await this.editor.locator('p, h1, h2, h3, li, td', { hasText: phrase }).first().waitFor();
    await this.editor.evaluate((root, target) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.textContent!.includes(target)) {
          node.parentElement!.scrollIntoView({ block: 'nearest' });
          return;
        }
      }
    }, phrase);
    await this.renderedFrames();
    await this.editor.evaluate((root, target) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent!.indexOf(target);
        if (at < 0) continue;
        (root as HTMLElement).focus();
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + target.length);
        const selection = getSelection()!;
        selection.removeAllRanges();
        selection.addRange(range);
        return;
      }
      throw new Error(`phrase not found: ${target}`);
    }, phrase);
    await this.page.waitForTimeout(50);
  }

  /**
   * Let two frames pass after scrolling: blocks far from the viewport are rendered only once
   * they come near it (content-visibility, editor.css), and a caret set by script into a block
   * not rendered yet lands at its start (a Chromium behaviour; people click rendered text).
   */
  async renderedFrames(): Promise<void> {
    await renderedFrames(this.page);
  }

  /** Put the caret just before or just after the first occurrence of `phrase`. */
  async caretAt(phrase: string, side: 'before' | 'after'): Promise<void> {
    await this.selectPhrase(phrase);
    await this.page.keyboard.press(side === 'before' ? 'ArrowLeft' : 'ArrowRight');
  }

  /** The comments side panel. */
  get comments() {
    return this.page.getByRole('complementary', { name: 'Comentarios' });
  }

  /** The card of the comment thread about `quote`. */
  thread(quote: string) {
    return this.comments.getByRole('article', { name: new RegExp(`sobre «${quote.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) });
  }

  /** Select `phrase`, start a comment (panel button or Ctrl+Alt+M) and send `body`. */
  async commentOn(phrase: string, body: string, via: 'button' | 'shortcut' = 'button'): Promise<void> {
    await this.selectPhrase(phrase);
    if (via === 'shortcut') await this.page.keyboard.press('Control+Alt+KeyM');
    else await this.comments.getByRole('button', { name: 'Comentar', exact: true }).first().click();
    const draft = this.comments.getByRole('article', { name: 'Nuevo comentario' });
    await draft.getByRole('textbox', { name: 'Comentario' }).fill(body);
    await draft.getByRole('button', { name: 'Comentar', exact: true }).click();
    await this.thread(phrase).waitFor({ timeout: 10_000 });
  }

  /** The plan body's visible text. */
  async text(): Promise<string> {
    const blocks = await this.editor.evaluate((element) => {
      // Remote carets are widgets inside the editor; they are not part of the plan.
      const copy = element.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('.collaboration-carets__caret').forEach((caret) => caret.remove());
      return [...copy.querySelectorAll('h1, h2, h3, p')].map((block) => block.textContent ?? '');
    });
    return blocks.join('\n').replace(/\u00a0/g, ' ');
  }

  /** Names on remote carets. */
  async caretLabels(): Promise<string[]> {
    // textContent, not innerText: a label inside a block far from the viewport is not rendered
    // (content-visibility: auto), and innerText of unrendered content is empty.
    return this.editor.locator('.collaboration-carets__label').allTextContents();
  }
}

/** Add paragraphs at the end of the plan until it has several groups (a plan of ~40 blocks is one). */
export function lengthenPlan(page: Page, paragraphs: number): Promise<number> {
  return page.evaluate((count) => {
    type Ed = { state: { doc: { content: { size: number }; childCount: number }; schema: { nodes: { paragraph: { create(a: null, c: unknown): unknown } }; text(t: string): unknown }; tr: { insert(pos: number, nodes: unknown[]): unknown } }; view: { dispatch(tr: unknown): void } };
    const editor = (document.querySelector('.ProseMirror') as unknown as { editor: Ed }).editor;
    const { state } = editor;
    const nodes = Array.from({ length: count }, (_, i) => state.schema.nodes.paragraph.create(null, state.schema.text(`Párrafo añadido ${i + 1}.`)));
    // Inside the last group, before its closing token: the groups split once they grow.
    editor.view.dispatch(state.tr.insert(state.doc.content.size - 1, nodes));
    return editor.state.doc.childCount;
  }, paragraphs);
}
