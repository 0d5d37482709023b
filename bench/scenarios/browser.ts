/**
 * Scenario "browser": a ~50-page plan in real Chromium. (1) Opening: from navigation start to
 * the last paragraph's text being in the DOM, and to the editor being editable and connected
 * (target < 1 s). (2) Typing: keydown to the character painted, while another client edits
 * another paragraph every 50 ms (target p99 < 16 ms). Times are taken inside the page with
 * performance.now() (its origin is the navigation start); Node-side wall time is reported too.
 * Nothing fails on a time.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import * as Y from 'yjs';
import { YName } from '../../shared/protocol.ts';
import { caretAtEndOf, launchBrowser } from '../../tests/e2e/browser.ts';
import { buildLargePlan, type LargePlan } from '../lib/browser-plan.ts';
import { closeClients, connectClient } from '../lib/clients.ts';
import { startMinga, type MingaProcess } from '../lib/servers.ts';
import { distribution } from '../lib/stats.ts';
import type { BenchParams, Scenario, ScenarioResult } from '../lib/types.ts';

/** The figures this scenario aims at, in milliseconds. */
export const BROWSER_TARGETS = { openMs: 1000, typingP99Ms: 16 } as const;
/** Time between the remote client's keystrokes (MINGA_BROWSER_REMOTE_MS=0: no remote edits, for diagnosis). */
const REMOTE_INTERVAL_MS = Number(process.env.MINGA_BROWSER_REMOTE_MS ?? 50);
/**
 * Time from one key's press to its release, and so between the browser's keystrokes
 * (page.keyboard.type's delay; the next key follows the release at once). 40 ms, ~25 keys a
 * second, is faster than anyone types: a stress pace. MINGA_BROWSER_TYPE_MS sets another.
 */
const TYPE_DELAY_MS = Number(process.env.MINGA_BROWSER_TYPE_MS ?? 40);
/** How fast this browser and the other client type in a measurement. */
interface Pace {
  /** Between this browser's keystrokes (press to release; the next key follows). */
  typeMs: number;
  /** Between the remote client's keystrokes (0: no remote edits). */
  remoteMs: number;
}
/** The stress pace of the headline figures (above). */
const STRESS_PACE: Pace = { typeMs: TYPE_DELAY_MS, remoteMs: REMOTE_INTERVAL_MS };
/**
 * A person's pace (tenth pass): a fast typist (~100 words a minute) while the other person types
 * at ~80. Measured as well, since at the stress pace even the bare paragraph misses 16 ms at p99
 * (the compositor never goes idle between keys). MINGA_BROWSER_PERSON_TYPE_MS and
 * MINGA_BROWSER_PERSON_REMOTE_MS set others.
 */
const PERSON_PACE: Pace = { typeMs: Number(process.env.MINGA_BROWSER_PERSON_TYPE_MS ?? 120), remoteMs: Number(process.env.MINGA_BROWSER_PERSON_REMOTE_MS ?? 150) };
/**
 * Blocks to a group in the grouped static copy of the plan's DOM (tenth pass): what the browser
 * alone costs per key when the plan's blocks are not all children of the editor's root.
 */
const GROUP_SIZE = Math.max(2, Number(process.env.MINGA_BROWSER_GROUP ?? 32) || 32);
const OPEN_TIMEOUT_MS = 30_000;
/**
 * Chromium flags that draw a frame as soon as there is something to draw instead of on a 60 Hz
 * display's refresh. A key then shows in the next frame Chromium can make, so keydown →
 * painted is the work of the page and of Chromium, without the wait for the display.
 */
const UNTHROTTLED_FRAMES = ['--disable-frame-rate-limit', '--disable-gpu-vsync'];

/** One opening, in milliseconds from navigation start. */
export interface OpenRun {
  kind: 'cold' | 'warm';
  /** In the page: the last paragraph's text is in the DOM. */
  textMs: number;
  /** In the page: contenteditable=true and the status says connected. */
  editableMs: number;
  /** In Node: page.goto called → the page reported editable. */
  wallMs: number;
}

/** Figures of the browser scenario. */
export interface BrowserFigures {
  plan: Omit<LargePlan, 'token' | 'blocks'>;
  runs: OpenRun[];
  cold: { textMs: Summary; editableMs: Summary; wallMs: Summary };
  warm: { textMs: Summary; editableMs: Summary; wallMs: Summary };
  typing: {
    characters: number;
    samples: number;
    remoteEdits: number;
    typedArrived: boolean;
    /** React commits while typing, per keystroke (remote edits included): how much of the screen re-renders. */
    reactCommitsPerKeystroke: number;
    /** The headline figure: keydown → the frame showing the character has been produced. */
    mean: number;
    p50: number;
    p95: number;
    p99: number;
    max: number;
    /**
     * A second figure, to tell where the time goes: keydown → the character is in the editor's
     * DOM and ProseMirror has handled it (its transaction, plugins and the write to Yjs), i.e.
     * the main-thread processing, without waiting for a frame, style, layout or paint.
     */
    processing: { p50: number; p95: number; p99: number; max: number };
    /**
     * A third figure: the headline figure less the time the page sat idle waiting for the
     * display's next frame (from the DOM update to the frame's start, when nothing else ran).
     * The headline includes that wait, 0–16.7 ms at 60 Hz depending on when the key fell, so
     * its p99 is about one frame even for a page doing no work at all.
     */
    frameless: { p50: number; p95: number; p99: number; max: number };
  };
  /**
   * The floor, measured in the same browser in the same run: the same keys, at the same pace,
   * with the same probe, typed into a bare contenteditable paragraph (no script, no
   * ProseMirror). What it shows is the browser's own path from a key to the next frame,
   * which no page can beat; at 60 Hz most of it is the wait for the frame.
   */
  floor: { samples: number; p50: number; p95: number; p99: number; max: number; processing: { p50: number; p99: number }; frameless: { p50: number; p99: number } };
  /**
   * The same typing and floor measured again in a Chromium that draws frames as soon as it
   * can (UNTHROTTLED_FRAMES): keydown → painted without the wait for a 60 Hz refresh, whose
   * p99 alone is ~17 ms in the floor above. Null in the smoke run.
   */
  unthrottled: { typing: BrowserFigures['typing']; floor: BrowserFigures['floor'] } | null;
  /**
   * Chromium alone, without a line of script, typing into a static copy of the plan's DOM (the
   * same blocks and text, `content-visibility: auto` as editor.css has it), in the unthrottled
   * browser: `flat` with every block a child of the editable root, as ProseMirror renders the
   * plan; `grouped` with the same blocks in groups of `groupSize` and the rule on the groups.
   * The difference is what the number of top-level blocks costs a keystroke in the browser's own
   * style, layout, paint and commit. Measured in the smoke run too (in the display-paced
   * browser, `unthrottled` false), so that a copy which stops taking keys fails the smoke test.
   */
  /**
   * The same typing and floor at a person's pace (PERSON_PACE), in the display-paced browser:
   * the reading of target 4 that a page can meet at all (tenth pass). Null in the smoke run.
   */
  person: { pace: Pace; typing: BrowserFigures['typing']; floor: BrowserFigures['floor'] } | null;
  planDom: { groupSize: number; blocks: number; unthrottled: boolean; flat: BrowserFigures['floor']; grouped: BrowserFigures['floor'] };
  targets: typeof BROWSER_TARGETS;
}

interface Summary {
  median: number;
  max: number;
}

/** What the scenario returns beyond the common shape. */
export interface BrowserScenarioResult extends ScenarioResult {
  figures: BrowserFigures | null;
}

/**
 * Installed before any page script: polls every animation frame until the plan's last text
 * is in the DOM and the editor is editable and connected, and keeps the times.
 */
function openProbe({ lastText, lastIndex }: { lastText: string; lastIndex: number }): void {
  const marks: { textMs?: number; editableMs?: number } = {};
  (window as unknown as { __mingaOpen: typeof marks }).__mingaOpen = marks;
  const check = (): void => {
    const editor = document.querySelector('.ProseMirror');
    if (editor) {
      if (marks.textMs === undefined) {
        // The plan's last non-empty paragraph is the body block at lastIndex (a few widgets may shift it).
        for (let i = Math.max(0, lastIndex - 3); i <= lastIndex + 3; i++) {
          // The editor holds its blocks in groups (blockGroups.ts): the last group holds the last paragraph.
          const grouped = editor.lastElementChild?.classList.contains('plan-chunk') ? editor.lastElementChild : null;
          if ((grouped ?? editor.children[i])?.textContent?.includes(lastText)) {
            marks.textMs = performance.now();
            break;
          }
        }
      }
      if (marks.textMs !== undefined && marks.editableMs === undefined && editor.getAttribute('contenteditable') === 'true') {
        const connected = [...document.querySelectorAll('[role="status"]')].some((el) => /Conectado|Connected/.test(el.textContent ?? ''));
        if (connected) marks.editableMs = performance.now();
      }
    }
    if (marks.editableMs === undefined) requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}

/** Open the plan once; the context is already signed in. */
async function openOnce(page: Page, url: string, kind: OpenRun['kind']): Promise<OpenRun> {
  const t0 = performance.now();
  await page.goto(url);
  try {
    await page.waitForFunction(() => (window as unknown as { __mingaOpen?: { editableMs?: number } }).__mingaOpen?.editableMs !== undefined, null, { timeout: OPEN_TIMEOUT_MS, polling: 20 });
  } catch (error) {
    // Say what the page showed, so a changed status text or markup is quick to see.
    const seen = await page
      .evaluate(() => ({
        url: location.href,
        marks: (window as unknown as { __mingaOpen?: unknown }).__mingaOpen,
        editable: document.querySelector('.ProseMirror')?.getAttribute('contenteditable'),
        status: [...document.querySelectorAll('[role="status"]')].map((el) => el.textContent),
        blocks: document.querySelector('.ProseMirror')?.children.length,
        tail: [...(document.querySelector('.ProseMirror')?.children ?? [])].slice(-4).map((el) => `${el.tagName}:${el.textContent?.slice(-50)}`),
      }))
      .catch(() => null);
    throw new Error(`the plan did not open within ${OPEN_TIMEOUT_MS} ms: ${JSON.stringify(seen)}`, { cause: error });
  }
  const wallMs = performance.now() - t0;
  const marks = await page.evaluate(() => (window as unknown as { __mingaOpen: { textMs: number; editableMs: number } }).__mingaOpen);
  return { kind, textMs: marks.textMs, editableMs: marks.editableMs, wallMs };
}

/** A fresh context signed in with the invite through the API the invite page calls. */
async function signedInContext(browser: Browser, base: string, plan: LargePlan): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'es-PE', viewport: { width: 1280, height: 900 } });
  const response = await context.request.post(`${base}/api/invites/redeem`, { data: { token: plan.token }, headers: { origin: base } });
  if (!response.ok()) throw new Error(`invite redeem answered ${response.status()}: ${await response.text()}`);
  // tsx compiles with esbuild's keepNames, which wraps the probes' inner functions in __name().
  await context.addInitScript({ content: 'globalThis.__name ??= (fn) => fn;' });
  // React reports every commit to a devtools hook when one exists (production builds too):
  // counting them says how often the screen re-renders per keystroke, whatever the machine load.
  await context.addInitScript({
    content:
      'globalThis.__mingaCommits = 0; globalThis.__REACT_DEVTOOLS_GLOBAL_HOOK__ = { supportsFiber: true, renderers: new Map(), ' +
      'inject() { return 1; }, checkDCE() {}, onScheduleFiberRoot() {}, onCommitFiberUnmount() {}, onPostCommitFiberRoot() {}, ' +
      'onCommitFiberRoot() { globalThis.__mingaCommits++; } };',
  });
  await context.addInitScript(openProbe, { lastText: plan.lastText, lastIndex: plan.lastIndex });
  return context;
}

/**
 * Installed in the page before typing: for each keydown, the time until the typed paragraph's
 * text grows (MutationObserver), then one animation frame and a task after it (the frame has
 * been painted by then). Remote edits land in another paragraph and are not counted.
 */
function typingProbe({ index, group }: TypedBlock): void {
  const samples: number[] = [];
  const processing: number[] = [];
  const frameless: number[] = [];
  const state = window as unknown as { __mingaTyping: TypingProbeResult };
  state.__mingaTyping = { samples, processing, frameless };
  const editor = document.querySelector('.ProseMirror')!;
  // EDITOR_BLOCKS (-1; this function runs in the page, without the module's constants): the
  // editor's blocks, through its groups of blocks when it has them (blockGroups.ts).
  const grouped = group === -1 && editor.querySelector(':scope > .plan-chunk') !== null;
  const fixed = grouped ? editor.querySelectorAll(':scope > .plan-chunk > *')[index] : undefined;
  const paragraph = (): Element | undefined => (grouped ? fixed : group > 0 ? editor.children[Math.floor(index / group)]?.children[index % group] : editor.children[index]);
  let pending: { t0: number; length: number } | null = null;
  editor.addEventListener(
    'keydown',
    (event) => {
      const e = event as KeyboardEvent;
      if (e.key.length !== 1) return;
      pending = { t0: performance.now(), length: paragraph()?.textContent?.length ?? 0 };
    },
    { capture: true },
  );
  // Registered after ProseMirror's own observer, so it runs once ProseMirror has handled the change.
  new MutationObserver(() => {
    if (!pending) return;
    if ((paragraph()?.textContent?.length ?? 0) <= pending.length) return;
    const { t0 } = pending;
    pending = null;
    const updated = performance.now();
    processing.push(updated - t0);
    requestAnimationFrame((frameStart) => {
      // The frame began at frameStart; until then the page only waited for it (when the
      // callback runs late, that lateness is work and stays counted).
      const idleWait = Math.max(0, frameStart - updated);
      setTimeout(() => {
        const total = performance.now() - t0;
        samples.push(total);
        frameless.push(total - idleWait);
      }, 0);
    });
  }).observe(editor, { subtree: true, childList: true, characterData: true });
}

/** `TypedBlock.group` for the editor: its blocks, through its groups of blocks (blockGroups.ts). */
const EDITOR_BLOCKS = -1;

/** Where the typed block is: child `index` of the editor, or of its groups of `group` (0: none; EDITOR_BLOCKS). */
interface TypedBlock {
  index: number;
  group: number;
}

/** What typingProbe collects in the page. */
interface TypingProbeResult {
  samples: number[];
  processing: number[];
  frameless: number[];
}

/** A bare contenteditable paragraph, no script: the browser's own floor. */
const BARE_PAGE: StaticPage = {
  html: '<!doctype html><html lang="es"><body><div class="ProseMirror" contenteditable="true" style="max-width:40rem;margin:2rem auto;font:16px/1.6 serif"><p>Plan de trabajo</p></div></body></html>',
  typed: { index: 0, group: 0 },
};

/** A page without script to type into, and the block the keys go to. */
interface StaticPage {
  html: string;
  typed: TypedBlock;
}

/**
 * A static copy of the plan's DOM: its blocks (the title, then one paragraph per line) as the
 * editable root's children with editor.css's `content-visibility` rule, or in groups of `group`
 * blocks with the rule on the groups. No script, no ProseMirror: the browser's cost alone. As in
 * the editor (liveSelectionBlocks.ts), the rule spares the top-level element holding the caret
 * and its neighbours: Chromium puts a caret in a skipped element at its start, backwards.
 */
function planDomPage(plan: LargePlan, group: number): StaticPage {
  const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const blocks = plan.blocks.map((text, i) => (i === 0 ? `<h1>${escape(text)}</h1>` : `<p>${escape(text)}</p>`));
  const live = group > 0 ? Math.floor(plan.typingIndex / group) : plan.typingIndex;
  const children = group > 0 ? Array.from({ length: Math.ceil(blocks.length / group) }, (_, i) => `<div>${blocks.slice(i * group, (i + 1) * group).join('')}</div>`) : blocks;
  const marked = children.map((html, i) => (Math.abs(i - live) <= 1 ? html.replace(/^<(\w+)/, '<$1 class="live"') : html));
  const size = group > 0 ? 'auto 1200px' : 'auto 40px';
  const style = `.ProseMirror { max-width: 46rem; margin: 2rem auto; font: 16px/1.6 serif } .ProseMirror p, .ProseMirror h1 { margin: 0.75em 0 } .ProseMirror > :not(.live) { content-visibility: auto; contain-intrinsic-size: ${size} }`;
  return { html: `<!doctype html><html lang="es"><head><style>${style}</style></head><body><div class="ProseMirror" contenteditable="true">${marked.join('')}</div></body></html>`, typed: { index: plan.typingIndex, group } };
}

/** Type into a static page with the same keys, pace and probe (default: the bare paragraph, the floor). */
async function measureFloor(browser: Browser, characters: number, warmup: number, target: StaticPage = BARE_PAGE, pace: Pace = STRESS_PACE): Promise<BrowserFigures['floor']> {
  const context = await browser.newContext({ locale: 'es-PE', viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.setContent(target.html);
    // As in signedInContext: the probes, compiled with keepNames, call __name().
    await page.evaluate('globalThis.__name ??= (fn) => fn;');
    await caretAtEnd(page, target.typed);
    await page.keyboard.type(' calentamiento'.slice(0, Math.max(1, warmup)), { delay: pace.typeMs });
    await page.evaluate(typingProbe, target.typed);
    await page.keyboard.type(typedText(characters), { delay: pace.typeMs });
    await page.waitForTimeout(300);
    const probe = await page.evaluate(() => (window as unknown as { __mingaTyping: TypingProbeResult }).__mingaTyping);
    const { mean: _mean, ...stats } = distribution(probe.samples);
    const processing = distribution(probe.processing);
    const frameless = distribution(probe.frameless);
    return { samples: probe.samples.length, ...stats, processing: { p50: processing.p50, p99: processing.p99 }, frameless: { p50: frameless.p50, p99: frameless.p99 } };
  } finally {
    await context.close();
  }
}

/** The characters typed in a measurement: words, spaces, no key that moves the caret. */
function typedText(characters: number): string {
  return Array.from({ length: characters }, (_, i) => 'metas regionales y seguimiento '[i % 31]).join('');
}

/** Put the caret at the end of body block `index` (checked and retried: caretAtEndOf). */
async function caretAtEnd(page: Page, { index, group }: TypedBlock): Promise<void> {
  const groupedEditor = group === EDITOR_BLOCKS && (await page.locator('.ProseMirror > .plan-chunk').count()) > 0;
  const block = groupedEditor ? page.locator('.ProseMirror > .plan-chunk > *').nth(index) : group > 0 ? page.locator('.ProseMirror > *').nth(Math.floor(index / group)).locator(':scope > *').nth(index % group) : page.locator('.ProseMirror > *').nth(index);
  await caretAtEndOf(block, `body block ${index}`);
}

/** The functions with the most self time in a CDP CPU profile, as "name (url:line) ms". */
function topSelfTime(profile: { nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>; samples?: number[]; timeDeltas?: number[] }, count = 12): string[] {
  const self = new Map<number, number>();
  (profile.samples ?? []).forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000));
  const byName = new Map<string, number>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'} (${url.split('/').pop()}:${lineNumber + 1})`;
    byName.set(key, (byName.get(key) ?? 0) + (self.get(node.id) ?? 0));
  }
  return [...byName].sort((a, b) => b[1] - a[1]).slice(0, count).map(([name, ms]) => `${name} ${ms.toFixed(0)} ms`);
}

/**
 * Build the client with NODE_ENV=production into a temporary folder. dist/client may hold a
 * development bundle (vitest's global setup builds it with NODE_ENV=test, which gives React's
 * development build, several times slower per render), and a benchmark must measure what
 * `npm start` serves.
 */
function buildProductionClient(): string {
  const root = path.resolve(import.meta.dirname, '../..');
  const outDir = mkdtempSync(path.join(tmpdir(), 'minga-bench-client-'));
  // MINGA_BROWSER_UNMINIFIED=1 keeps the bundle's names, for readable profiles.
  const minify = process.env.MINGA_BROWSER_UNMINIFIED ? ['--minify', 'false'] : [];
  execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error', '--outDir', outDir, '--emptyOutDir', ...minify], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return outDir;
}

function summary(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)] ?? 0, max: sorted[sorted.length - 1] ?? 0 };
}

/** `file` with `-suffix` before its extension (the unthrottled pass's trace and profile go beside the first pass's). */
function besideFile(file: string | undefined, suffix: string): string | undefined {
  if (!file || !suffix) return file;
  const ext = path.extname(file);
  return `${file.slice(0, file.length - ext.length)}-${suffix}${ext}`;
}

async function measureTyping(browser: Browser, minga: MingaProcess, base: string, plan: LargePlan, characters: number, warmup: number, log: (line: string) => void, pass = '', pace: Pace = STRESS_PACE): Promise<BrowserFigures['typing']> {
  const remote = await connectClient({ wsBase: minga.wsBase, room: plan.documentId, params: { token: plan.token } });
  const context = await signedInContext(browser, base, plan);
  let remoteEdits = 0;
  let timer: NodeJS.Timeout | undefined;
  try {
    const page = await context.newPage();
    await openOnce(page, `${base}/d/${plan.documentId}`, 'cold');
    // MINGA_BROWSER_STYLE: CSS added to the page after it opened, for diagnosis (e.g. to see what a rule costs while typing).
    if (process.env.MINGA_BROWSER_STYLE) await page.addStyleTag({ content: process.env.MINGA_BROWSER_STYLE });
    const remoteText = (remote.doc.getXmlFragment(YName.body).get(plan.remoteIndex) as Y.XmlElement).get(0) as Y.XmlText;
    if (pace.remoteMs > 0) {
      timer = setInterval(() => {
        remoteText.insert(remoteText.length, 'xyz '[remoteEdits % 4]);
        remoteEdits++;
      }, pace.remoteMs);
    }
    await caretAtEnd(page, { index: plan.typingIndex, group: EDITOR_BLOCKS });
    // Unmeasured keys first, so the first measured one does not pay for JIT and first layout.
    await page.keyboard.type(' calentamiento'.slice(0, Math.max(1, warmup)), { delay: pace.typeMs });
    await page.evaluate(typingProbe, { index: plan.typingIndex, group: EDITOR_BLOCKS });
    const typed = typedText(characters);
    log(`browser: typing ${characters} characters (${pace.typeMs} ms apart) while a remote client types every ${pace.remoteMs} ms…`);
    const profiling = besideFile(process.env.MINGA_BROWSER_PROFILE, pass);
    const cdp = profiling ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    const tracing = besideFile(process.env.MINGA_BROWSER_TRACE, pass);
    // MINGA_BROWSER_TRACE_CATEGORIES adds trace categories (e.g. `toplevel,scheduler`: which code posted each task).
    const categories = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'cc', 'viz', ...(process.env.MINGA_BROWSER_TRACE_CATEGORIES ?? '').split(',').filter(Boolean)];
    if (tracing) await browser.startTracing(page, { path: tracing, categories });
    const commitsBefore = await page.evaluate(() => (window as unknown as { __mingaCommits: number }).__mingaCommits);
    await page.keyboard.type(typed, { delay: pace.typeMs });
    if (tracing) {
      await browser.stopTracing();
      log(`browser: Chromium performance trace of the typing written to ${tracing} (open it in the DevTools Performance panel)`);
    }
    const commits = (await page.evaluate(() => (window as unknown as { __mingaCommits: number }).__mingaCommits)) - commitsBefore;
    if (cdp && profiling) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(profiling, JSON.stringify(profile));
      log(`browser: page CPU profile of the typing written to ${profiling} (${topSelfTime(profile).join('; ')})`);
    }
    await page.waitForTimeout(300);
    clearInterval(timer);
    timer = undefined;
    const probe = await page.evaluate(() => (window as unknown as { __mingaTyping: TypingProbeResult }).__mingaTyping);
    const { samples } = probe;
    // The typed text reached the server and the remote client.
    const typedArrived = await (async () => {
      const tail = typed.slice(-10);
      for (let i = 0; i < 50; i++) {
        const text = ((remote.doc.getXmlFragment(YName.body).get(plan.typingIndex) as Y.XmlElement).get(0) as Y.XmlText).toString();
        if (text.includes(tail)) return true;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return false;
    })();
    const stats = distribution(samples);
    const { mean: _mean, ...processing } = distribution(probe.processing);
    const { mean: _frameMean, ...frameless } = distribution(probe.frameless);
    return { characters, samples: samples.length, remoteEdits, typedArrived, reactCommitsPerKeystroke: commits / characters, ...stats, processing, frameless };
  } finally {
    if (timer) clearInterval(timer);
    await context.close();
    closeClients([remote]);
  }
}

async function run(params: BenchParams): Promise<BrowserScenarioResult> {
  const started = performance.now();
  // The suite's smoke preset has few keystrokes; the browser scenario scales with it.
  const smoke = params.keystrokes < 100;
  const runs = Number(process.env.MINGA_BROWSER_RUNS ?? (smoke ? 1 : 5));
  const characters = Number(process.env.MINGA_BROWSER_CHARS ?? (smoke ? 40 : 200));
  const mode = (process.env.MINGA_BROWSER_PLAN ?? (smoke ? 'final' : 'replay')) === 'final' ? 'final' : 'replay';

  params.log('browser: building the client in production mode…');
  const clientDir = buildProductionClient();
  // startMinga passes its environment to the child: CLIENT_DIR points it at that bundle.
  const previousClientDir = process.env.CLIENT_DIR;
  process.env.CLIENT_DIR = clientDir;
  let minga: MingaProcess;
  try {
    minga = await startMinga({ profileDir: params.profileDir });
  } finally {
    if (previousClientDir === undefined) delete process.env.CLIENT_DIR;
    else process.env.CLIENT_DIR = previousClientDir;
  }
  let browser: Browser | undefined;
  try {
    const base = `http://127.0.0.1:${minga.port}`;
    params.log(`browser: writing the large plan (${mode === 'replay' ? 'replaying the editing trace' : 'final text of the trace'})…`);
    const plan = await buildLargePlan(minga, mode, params.log);
    params.log(`browser: plan ${plan.documentId}: ${plan.characters} characters, ${plan.paragraphs} paragraphs (~${plan.pagesApprox} pages), state ${(plan.stateBytes / 1024).toFixed(0)} KiB, source ${plan.source}, built in ${(plan.buildMs / 1000).toFixed(1)} s`);
    const extraArgs = (process.env.MINGA_BROWSER_ARGS ?? '').split(/\s+/).filter(Boolean);
    browser = await launchBrowser(extraArgs);

    const openRuns: OpenRun[] = [];
    for (let i = 0; i < runs; i++) {
      const context = await signedInContext(browser, base, plan);
      try {
        const page = await context.newPage();
        const url = `${base}/d/${plan.documentId}`;
        const cold = await openOnce(page, url, 'cold');
        // Let y-indexeddb finish writing its offline copy before the reopen.
        await page.waitForTimeout(500);
        const warm = await openOnce(page, url, 'warm');
        openRuns.push(cold, warm);
        params.log(`browser: open ${i + 1}/${runs}: cold text ${cold.textMs.toFixed(0)} ms, editable ${cold.editableMs.toFixed(0)} ms (wall ${cold.wallMs.toFixed(0)}); warm text ${warm.textMs.toFixed(0)} ms, editable ${warm.editableMs.toFixed(0)} ms`);
      } finally {
        await context.close();
      }
    }
    const of = (kind: OpenRun['kind']) => {
      const list = openRuns.filter((r) => r.kind === kind);
      return { textMs: summary(list.map((r) => r.textMs)), editableMs: summary(list.map((r) => r.editableMs)), wallMs: summary(list.map((r) => r.wallMs)) };
    };

    const typing = await measureTyping(browser, minga, base, plan, characters, smoke ? 3 : 10, params.log);
    const floor = await measureFloor(browser, characters, smoke ? 3 : 10);
    params.log(`browser: floor (bare contenteditable, same keys and probe): keydown→painted p50 ${floor.p50.toFixed(1)} ms, p95 ${floor.p95.toFixed(1)}, p99 ${floor.p99.toFixed(1)}, max ${floor.max.toFixed(1)}; processing p99 ${floor.processing.p99.toFixed(1)}; less the idle wait p99 ${floor.frameless.p99.toFixed(1)}`);
    params.log(
      `browser: typing keydown→painted over ${typing.samples} keystrokes: p50 ${typing.p50.toFixed(1)} ms, p95 ${typing.p95.toFixed(1)}, p99 ${typing.p99.toFixed(1)}, max ${typing.max.toFixed(1)} (target p99 < ${BROWSER_TARGETS.typingP99Ms}); remote edits ${typing.remoteEdits}, React commits per keystroke ${typing.reactCommitsPerKeystroke.toFixed(2)}`,
    );
    params.log(
      `browser: typing keydown→DOM updated (processing only, no frame): p50 ${typing.processing.p50.toFixed(1)} ms, p95 ${typing.processing.p95.toFixed(1)}, p99 ${typing.processing.p99.toFixed(1)}, max ${typing.processing.max.toFixed(1)}`,
    );
    params.log(
      `browser: typing keydown→painted less the idle wait for the next frame: p50 ${typing.frameless.p50.toFixed(1)} ms, p95 ${typing.frameless.p95.toFixed(1)}, p99 ${typing.frameless.p99.toFixed(1)}, max ${typing.frameless.max.toFixed(1)}`,
    );
    let person: BrowserFigures['person'] = null;
    if (!smoke) {
      params.log(`browser: typing again at a person's pace (a key every ${PERSON_PACE.typeMs} ms, the other client every ${PERSON_PACE.remoteMs} ms)…`);
      person = { pace: PERSON_PACE, typing: await measureTyping(browser, minga, base, plan, characters, 10, params.log, 'person', PERSON_PACE), floor: await measureFloor(browser, characters, 10, BARE_PAGE, PERSON_PACE) };
    }
    let unthrottled: BrowserFigures['unthrottled'] = null;
    if (!smoke) {
      await browser.close();
      browser = await launchBrowser([...UNTHROTTLED_FRAMES, ...extraArgs]);
      params.log('browser: typing again with frames drawn as soon as possible (no 60 Hz wait)…');
      unthrottled = { typing: await measureTyping(browser, minga, base, plan, characters, 10, params.log, 'unthrottled'), floor: await measureFloor(browser, characters, 10) };
    }
    params.log(`browser: typing into a static copy of the plan's DOM (no script), flat and in groups of ${GROUP_SIZE}…`);
    const warmup = smoke ? 3 : 10;
    const planDom: BrowserFigures['planDom'] = {
      groupSize: GROUP_SIZE,
      blocks: plan.blocks.length,
      unthrottled: unthrottled !== null,
      flat: await measureFloor(browser, characters, warmup, planDomPage(plan, 0)),
      grouped: await measureFloor(browser, characters, warmup, planDomPage(plan, GROUP_SIZE)),
    };
    const { token: _token, blocks: _blocks, ...planFigures } = plan;
    const figures: BrowserFigures = { plan: planFigures, runs: openRuns, cold: of('cold'), warm: of('warm'), typing, floor, person, unthrottled, planDom, targets: BROWSER_TARGETS };
    const ms = (value: number): string => `${value.toFixed(0)} ms`;
    const notes = [
      `Plan: ${plan.characters} characters in ${plan.paragraphs} paragraphs (~${plan.pagesApprox} pages), Yjs state ${(plan.stateBytes / 1024).toFixed(0)} KiB, written as ${plan.source}${plan.skipped ? ` (${plan.skipped})` : ''}.`,
      `Open, cold (fresh context, signed in through the invite API, empty cache and offline copy), median of ${runs}: text ${ms(figures.cold.textMs.median)}, editable ${ms(figures.cold.editableMs.median)} (max ${ms(figures.cold.editableMs.max)}), Node wall ${ms(figures.cold.wallMs.median)}; target < ${BROWSER_TARGETS.openMs} ms: ${figures.cold.editableMs.median < BROWSER_TARGETS.openMs ? 'met' : 'missed'}.`,
      `Open, warm (same context reopened: cached assets, y-indexeddb copy): text ${ms(figures.warm.textMs.median)}, editable ${ms(figures.warm.editableMs.median)}.`,
      `Typing (${typing.samples}/${typing.characters} keystrokes, remote client typing every ${REMOTE_INTERVAL_MS} ms): p50 ${typing.p50.toFixed(1)} ms, p95 ${typing.p95.toFixed(1)} ms, p99 ${typing.p99.toFixed(1)} ms, max ${typing.max.toFixed(1)} ms, ${typing.reactCommitsPerKeystroke.toFixed(2)} React commits per keystroke; target p99 < ${BROWSER_TARGETS.typingP99Ms} ms: ${typing.p99 < BROWSER_TARGETS.typingP99Ms ? 'met' : 'missed'}; typed text reached the other client: ${typing.typedArrived}.`,
      `Typing, second figure: keydown → DOM updated (main-thread processing, no frame wait) p50 ${typing.processing.p50.toFixed(1)} ms, p95 ${typing.processing.p95.toFixed(1)} ms, p99 ${typing.processing.p99.toFixed(1)} ms.`,
      `Typing, third figure: keydown → painted less the idle wait for the display's next frame (processing + the frame's style, layout and paint) p50 ${typing.frameless.p50.toFixed(1)} ms, p95 ${typing.frameless.p95.toFixed(1)} ms, p99 ${typing.frameless.p99.toFixed(1)} ms, max ${typing.frameless.max.toFixed(1)} ms.`,
      `Floor, same browser and run: the same ${floor.samples} keys typed into a bare contenteditable paragraph (no script): keydown → painted p50 ${floor.p50.toFixed(1)} ms, p95 ${floor.p95.toFixed(1)} ms, p99 ${floor.p99.toFixed(1)} ms, max ${floor.max.toFixed(1)} ms (processing p99 ${floor.processing.p99.toFixed(1)} ms; less the idle wait p99 ${floor.frameless.p99.toFixed(1)} ms). Minga / floor at p99: ×${(typing.p99 / floor.p99).toFixed(2)}; Minga − floor at p99: ${(typing.p99 - floor.p99).toFixed(1)} ms.`,
    ];
    if (person) {
      const { typing: t, floor: f, pace } = person;
      notes.push(
        `Typing at a person's pace (a key every ${pace.typeMs} ms, the remote client every ${pace.remoteMs} ms; display-paced): keydown → painted p50 ${t.p50.toFixed(1)} ms, p95 ${t.p95.toFixed(1)} ms, p99 ${t.p99.toFixed(1)} ms, max ${t.max.toFixed(1)} ms (processing p99 ${t.processing.p99.toFixed(1)} ms; ${t.samples}/${t.characters} keystrokes, typed text reached the other client: ${t.typedArrived}); target p99 < ${BROWSER_TARGETS.typingP99Ms} ms: ${t.p99 < BROWSER_TARGETS.typingP99Ms ? 'met' : 'missed'}. Its floor: p50 ${f.p50.toFixed(1)} ms, p99 ${f.p99.toFixed(1)} ms, max ${f.max.toFixed(1)} ms.`,
      );
      params.log(notes.at(-1)!);
    }
    if (unthrottled) {
      const { typing: u, floor: f } = unthrottled;
      notes.push(
        `Typing with frames drawn as soon as possible (\`${UNTHROTTLED_FRAMES.join(' ')}\`: no wait for a 60 Hz refresh), same plan, keys and remote client: keydown → painted p50 ${u.p50.toFixed(1)} ms, p95 ${u.p95.toFixed(1)} ms, p99 ${u.p99.toFixed(1)} ms, max ${u.max.toFixed(1)} ms (processing p99 ${u.processing.p99.toFixed(1)} ms; less the idle wait for the next frame p50 ${u.frameless.p50.toFixed(1)} ms, p99 ${u.frameless.p99.toFixed(1)} ms; ${u.samples}/${u.characters} keystrokes, typed text reached the other client: ${u.typedArrived}); p99 < ${BROWSER_TARGETS.typingP99Ms} ms by this measure: ${u.p99 < BROWSER_TARGETS.typingP99Ms ? 'met' : 'missed'}. Its floor: p50 ${f.p50.toFixed(1)} ms, p99 ${f.p99.toFixed(1)} ms, max ${f.max.toFixed(1)} ms.`,
      );
      params.log(notes.at(-1)!);
    }
    {
      const { flat, grouped } = planDom;
      notes.push(
        `The browser alone (${planDom.unthrottled ? 'frames as soon as possible' : 'display-paced'}, no script): the same keys typed into a static copy of the plan's DOM, its ${planDom.blocks} blocks as children of the editable root (as ProseMirror renders them): keydown → painted p50 ${flat.p50.toFixed(1)} ms, p95 ${flat.p95.toFixed(1)} ms, p99 ${flat.p99.toFixed(1)} ms; the same blocks in groups of ${planDom.groupSize}, \`content-visibility\` on the groups: p50 ${grouped.p50.toFixed(1)} ms, p95 ${grouped.p95.toFixed(1)} ms, p99 ${grouped.p99.toFixed(1)} ms (grouped / flat at p50 ×${(grouped.p50 / flat.p50).toFixed(2)}, at p99 ×${(grouped.p99 / flat.p99).toFixed(2)}).`,
      );
      params.log(notes.at(-1)!);
    }
    return {
      name: 'browser',
      description: 'open (< 1 s) and typing latency (p99 < 16 ms) of a ~50-page plan in Chromium',
      cases: [],
      durationMs: performance.now() - started,
      notes,
      figures,
    };
  } finally {
    await browser?.close();
    await minga.stop();
    rmSync(clientDir, { recursive: true, force: true });
  }
}

/** The scenario as the registry holds it. */
export const browserScenario: Scenario = {
  name: 'browser',
  description: 'open (< 1 s) and typing latency (p99 < 16 ms) of a ~50-page plan in Chromium',
  run,
};
