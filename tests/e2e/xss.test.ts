/**
 * Web input (issue 9): XSS payloads typed into every field a person can fill — plan titles,
 * participant names and delegations, plan text, suggestions, comments and their quotes, links,
 * milestones, version names, imported DOCX and Markdown files — are rendered by the real browser
 * as text, nothing runs, and the content security policy reports no violation, in the editor,
 * the version and comparison views, their standalone pages and the exported HTML file.
 *
 * Every page records `securitypolicyviolation` events (an init script) and is checked before it
 * navigates away; the server's CSP report endpoint must stay empty. A first test proves the
 * sensors work: an injected inline handler is blocked by the CSP, seen by the page and reported.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { Document, ExternalHyperlink, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import { removeDir, startTestServer, type TestServer } from '../helpers/server.ts';
import { launchBrowser, Person, PlanPage } from './browser.ts';

/** The payloads; each would set `window.__xss` (or hide the page) if it were interpreted. */
const P = {
  img: '<img src=x onerror="window.__xss=(window.__xss||0)+1">',
  script: '<script>window.__xss=1</script>',
  svg: '"><svg onload="window.__xss=1">',
  js: 'javascript:window.__xss=1',
  template: "{{constructor.constructor('window.__xss=1')()}}",
  css: '</style><style>body{display:none}</style>',
} as const;
const ALL = Object.values(P).join(' ');

// Each field gets payloads within its length limit (names and renamed titles: 120 characters).
const TITLE_CREATED = `${P.img} ${P.template}`;
const TITLE_RENAMED = `${P.script} ${P.svg} ${P.css}`;
const NAME = `${P.img}${P.template} Eva`;
const DELEGATION = `${P.svg} ${P.script} ${P.css}`;
const MILESTONE_TITLE = `${P.img} ${P.css}`;
const MILESTONE_DESCRIPTION = ALL;
const VERSION_BEFORE = `${P.script} ${P.template}`;
const VERSION_AFTER = `${P.svg} ${P.css} v2`;
const PLAN_TEXT = ALL;
const SUGGESTION_TEXT = `${P.img} ${P.svg} ${P.template}`;
/** A passage of PLAN_TEXT that is commented on (under the 80 characters a card's name quotes). */
const QUOTE = `${P.script} ${P.svg}`;
const COMMENT_BODY = `${ALL} [x](javascript:window.__xss=1)`;
/** Allowed by the link policy (https), with markup in its query: must stay an attribute value. */
const HTTPS_WITH_MARKUP = 'https://example.org/?q="><svg onload=window.__xss=1>';
/** The links the plan holds at the end: the one from the link dialog and a pasted one. */
const PLAN_LINKS = [HTTPS_WITH_MARKUP, 'https://example.org/ok'].sort();
const REFUSED_LINKS = [P.js, ' JaVaScRiPt:window.__xss=1', 'java\tscript:window.__xss=1', 'data:text/html,<script>window.__xss=1</script>', 'vbscript:window.__xss=1'];
/** What a web page could put on the clipboard. */
const PASTED_HTML = [
  '<meta charset="utf-8"><p>Pegado: ',
  P.img,
  '<a href="javascript:window.__xss=1">enlace pegado</a> y <a href="https://example.org/ok">bueno</a>',
  '<svg onload="window.__xss=1"></svg>',
  P.script,
  '<style>body{display:none}</style>',
  '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
  '<img src="x" onerror="window.__xss=1" alt="imagen">',
  '</p>',
].join('');
const DOCX_TITLE = `${P.svg} Plan de Word ${P.css}`;
const MD_TITLE = `${P.script} ${P.template} Markdown`;

/** Records CSP violations of every document of a context, from its first moment. */
function recordViolations(): void {
  const seen: Array<{ directive: string; blocked: string; sample: string }> = [];
  (window as unknown as { __cspViolations: typeof seen }).__cspViolations = seen;
  window.addEventListener(
    'securitypolicyviolation',
    (event) => seen.push({ directive: event.violatedDirective, blocked: event.blockedURI, sample: event.sample }),
    true,
  );
}

interface PageState {
  /** Set by any payload that ran. */
  xss: unknown;
  /** Whether the init script ran (the violation sensor is live). */
  watched: boolean;
  violations: unknown[];
  /** Elements a payload would have created. */
  injected: string[];
  bodyHidden: boolean;
}

/** What a page shows of the payloads having been interpreted. */
async function pageState(page: Page): Promise<PageState> {
  return page.evaluate(() => {
    const w = window as unknown as { __xss?: unknown; __cspViolations?: unknown[] };
    const injected = [
      ...document.querySelectorAll('img[src="x"], svg[onload], [onerror], [onload], script:not([src]), a[href^="javascript" i], a[href^="data:" i], a[href^="vbscript" i], iframe, object, embed'),
      ...[...document.querySelectorAll('style')].filter((style) => style.textContent?.includes('body{display:none}')),
    ].map((element) => element.outerHTML.slice(0, 120));
    return {
      xss: w.__xss,
      watched: Array.isArray(w.__cspViolations),
      violations: w.__cspViolations ?? [],
      injected,
      bodyHidden: getComputedStyle(document.body).display === 'none',
    };
  });
}

/** Nothing ran, nothing was injected, nothing was blocked by the CSP on this page. */
async function expectClean(page: Page, where: string): Promise<void> {
  expect({ where, ...(await pageState(page)) }).toEqual({ where, xss: undefined, watched: true, violations: [], injected: [], bodyHidden: false });
}

/** The addresses of the links in `scope`, sorted. */
async function hrefs(scope: Locator): Promise<Array<string | null>> {
  return (await scope.evaluateAll((links) => links.map((a) => a.getAttribute('href')))).sort();
}

/** `text` is shown literally inside `scope`. */
async function expectLiteral(scope: Locator | Page, text: string): Promise<void> {
  await scope.getByText(text, { exact: false }).first().waitFor({ timeout: 10_000 });
}

let server: TestServer;
let browser: Browser;
let owner: Person;
let ownerPlan: PlanPage;
let guest: Person;
let guestPlan: PlanPage;
let planId: string;
const extraContexts: BrowserContext[] = [];

/** A person whose pages record CSP violations. */
async function watchedPerson(): Promise<Person> {
  const person = await Person.enter(browser);
  await person.context.addInitScript(recordViolations);
  return person;
}

/** Errors a page logged, minus the expected 401 of the first session probe. */
function unexpected(person: Person): string[] {
  return person.errors.filter((e) => !/401/.test(e));
}

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  owner = await watchedPerson();
  await owner.openInvite((await server.invite('owner', { name: 'Coordinación MTPE', delegation: 'Perú · MTPE' })).url);
});
afterAll(async () => {
  for (const context of extraContexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
  if (server) removeDir(server.dataDir);
});

describe('web input: XSS payloads in every field a person types render as text', () => {
  it('the sensors work: an injected inline handler is blocked by the CSP, seen by the page and reported to the server', async () => {
    const page = owner.page;
    await page.evaluate(() => {
      const probe = document.createElement('img');
      probe.id = 'csp-probe';
      probe.setAttribute('onerror', 'window.__xss=1');
      probe.src = 'x';
      document.body.append(probe);
    });
    await expect.poll(async () => (await pageState(page)).violations.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => server.context.cspReports.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect((await pageState(page)).xss).toBeUndefined(); // the CSP held even for markup that got in
    // Back to a clean slate for the sweep.
    await page.evaluate(() => {
      document.getElementById('csp-probe')?.remove();
      (window as unknown as { __cspViolations: unknown[] }).__cspViolations.length = 0;
    });
    server.context.cspReports.length = 0;
    owner.errors.length = 0; // the blocked handler's console message
    await expectClean(page, 'probe removed');
  });

  it('plan title (new plan, rename), milestone title and description, version name', async () => {
    const page = owner.page;
    await expectClean(page, 'sample plan');
    await page.goto(new URL('/', server.url).href);
    await page.getByRole('button', { name: 'Nuevo plan' }).click();
    const create = page.getByRole('dialog', { name: 'Nuevo plan' });
    await create.getByRole('textbox', { name: 'Título del plan' }).fill(TITLE_CREATED);
    await create.getByRole('button', { name: 'Crear plan' }).click();
    await page.waitForURL(/\/d\//);
    planId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    ownerPlan = new PlanPage(page);
    await ownerPlan.editor.waitFor();
    await ownerPlan.waitUntilConnected();
    await expect.poll(() => page.locator('.plan-title__text').textContent()).toBe(TITLE_CREATED);
    expect(await page.title()).toContain(TITLE_CREATED);

    await page.getByRole('banner').getByRole('button', { name: 'Renombrar' }).click();
    await page.getByRole('textbox', { name: `Nuevo título de «${TITLE_CREATED}»` }).fill(TITLE_RENAMED);
    await page.getByRole('button', { name: 'Guardar' }).click();
    await expect.poll(() => page.locator('.plan-title__text').textContent()).toBe(TITLE_RENAMED);
    expect(server.workspace.meta.data.documents.find((d) => d.id === planId)?.title).toBe(TITLE_RENAMED);

    await page.getByRole('button', { name: 'Hitos', exact: true }).click();
    const milestones = page.getByRole('dialog', { name: 'Hitos' });
    const form = milestones.getByRole('form', { name: 'Nuevo hito' });
    await form.getByLabel('Título').fill(MILESTONE_TITLE);
    await form.getByLabel('Descripción').fill(MILESTONE_DESCRIPTION);
    await form.getByLabel('Fecha', { exact: true }).fill('2030-05-04');
    await form.getByRole('button', { name: 'Añadir hito' }).click();
    await expect.poll(() => milestones.locator('.milestones__title').allTextContents()).toEqual([MILESTONE_TITLE]);
    expect(await milestones.locator('.milestones__description').allTextContents()).toEqual([MILESTONE_DESCRIPTION]);
    await milestones.getByRole('button', { name: `Editar «${MILESTONE_TITLE}»` }).waitFor();
    await expectClean(page, 'milestones dialog');
    await milestones.getByRole('button', { name: 'Cerrar' }).click();

    // A version for that milestone, named with payloads: the list shows both as text.
    await page.getByRole('button', { name: 'Versiones', exact: true }).click();
    const versions = page.getByRole('dialog', { name: 'Versiones' });
    await versions.getByLabel('Nombre de la versión').fill(VERSION_BEFORE);
    await versions.getByLabel('Hito', { exact: true }).selectOption({ label: MILESTONE_TITLE });
    await versions.getByRole('button', { name: 'Capturar versión' }).click();
    const row = versions.getByRole('row').filter({ has: page.getByRole('rowheader', { name: VERSION_BEFORE }) });
    await row.waitFor();
    expect(await row.locator('th, td').allTextContents()).toEqual(expect.arrayContaining([VERSION_BEFORE, MILESTONE_TITLE]));
    await expectClean(page, 'versions dialog');
    await versions.getByRole('button', { name: 'Cerrar' }).click();
  });

  it('participant name and delegation, typed by the owner: participants dialog, presence, carets, suggestions, comments and their quoted passage', async () => {
    const page = owner.page;
    await page.getByRole('button', { name: 'Participantes' }).click();
    const dialog = page.getByRole('dialog', { name: 'Participantes' });
    const add = dialog.getByRole('form', { name: 'Añadir persona' });
    await add.getByLabel('Nombre').fill(NAME);
    await add.getByLabel('Delegación').fill(DELEGATION);
    await add.getByLabel('Rol').selectOption('suggester');
    await add.getByRole('button', { name: 'Añadir' }).click();
    await expectLiteral(dialog.getByRole('status'), `${NAME} se añadió al plan`);
    await dialog.getByRole('button', { name: 'Crear enlace' }).click();
    const link = dialog.getByRole('textbox', { name: `Enlace de invitación para ${NAME}` });
    await expect.poll(() => link.inputValue()).toMatch(/\/invite#/);
    const inviteUrl = await link.inputValue();
    const personRow = dialog.getByRole('row').filter({ has: page.getByRole('rowheader', { name: NAME }) });
    expect(await personRow.locator('th, td').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining(NAME), DELEGATION]));
    await expectClean(page, 'participants dialog');
    await dialog.getByRole('button', { name: 'Cerrar' }).click();

    guest = await watchedPerson();
    guestPlan = await guest.openInvite(inviteUrl);
    expect(await guest.page.locator('.plan-title__text').textContent()).toBe(TITLE_RENAMED);
    await expectLiteral(guest.page.getByRole('list', { name: 'Personas en este plan' }), `${NAME} · ${DELEGATION} (usted)`);
    // Presence: the guest in the owner's top bar, with their delegation.
    await expectLiteral(page.getByRole('list', { name: 'Personas en este plan' }), `${NAME} · ${DELEGATION}`);

    // The owner writes every payload into the plan; the guest reads it as text.
    await ownerPlan.typeAfter('Paneles de éxito.', ' ');
    await page.keyboard.insertText(PLAN_TEXT);
    await expect.poll(() => guestPlan.text(), { timeout: 10_000 }).toContain(`Paneles de éxito. ${PLAN_TEXT}`);

    // The guest suggests payloads: inline and in the owner's panel, attributed, as text; the guest's caret is named.
    await guestPlan.typeAfter('Charlas para padres.', ' ');
    await guest.page.keyboard.insertText(SUGGESTION_TEXT);
    await expect.poll(() => page.locator('ins.suggestion--insertion').allTextContents(), { timeout: 10_000 }).toContain(` ${SUGGESTION_TEXT}`);
    const card = page.locator('.suggestion-card', { hasText: SUGGESTION_TEXT });
    await expect.poll(() => card.locator('.suggestion-card__author').textContent(), { timeout: 10_000 }).toBe(NAME);
    expect((await card.locator('ins').textContent())?.trim()).toBe(SUGGESTION_TEXT);
    await expect.poll(() => ownerPlan.caretLabels(), { timeout: 10_000 }).toContain(NAME);

    // The guest comments on a passage of the payloads with a payload message.
    await guestPlan.commentOn(QUOTE, COMMENT_BODY);
    const thread = ownerPlan.thread(QUOTE);
    await thread.waitFor({ timeout: 10_000 });
    await expect.poll(() => thread.locator('.comment-message__body').first().innerText(), { timeout: 10_000 }).toBe(COMMENT_BODY);
    expect(await thread.locator('.comment-card__quote').textContent()).toBe(QUOTE);
    expect(await thread.locator('.comment-person__name').first().textContent()).toBe(NAME);
    expect(await thread.locator('.comment-person').first().getAttribute('title')).toBe(DELEGATION);
    expect(await thread.getAttribute('aria-label')).toBe(`Comentario de ${NAME} sobre «${QUOTE}»`);
    expect(await thread.locator('a').count()).toBe(0);
    await expectLiteral(ownerPlan.editor.locator('.comment-highlight'), QUOTE);

    // The owner answers with an @mention picked from the autocomplete; the guest sees it as their mention.
    await thread.getByRole('button', { name: 'Responder' }).click();
    const reply = thread.getByRole('textbox', { name: 'Responder' });
    await reply.click();
    await reply.pressSequentially('Gracias @Eva', { delay: 10 });
    const option = page.getByRole('listbox', { name: 'Personas que puede mencionar' }).getByRole('option').filter({ hasText: NAME });
    await option.waitFor();
    await expectLiteral(option, DELEGATION);
    await reply.press('Enter');
    expect(await reply.inputValue()).toBe(`Gracias @${NAME} `);
    await thread.getByRole('button', { name: 'Responder' }).click();
    await expect.poll(() => guestPlan.thread(QUOTE).locator('.mention--self').textContent(), { timeout: 10_000 }).toBe(`@${NAME}`);

    // The owner replies in the suggestion's discussion; the guest reads the reply.
    await card.getByRole('textbox').fill(P.template);
    await card.getByRole('button', { name: 'Responder' }).click();
    await expectLiteral(guest.page.locator('.suggestion-card__message'), P.template);

    await expectClean(page, 'owner: presence, carets, suggestion, comment');
    await expectClean(guest.page, 'guest: plan text, own suggestion and comment');
  });

  it('links: javascript:, data: and vbscript: addresses are refused with a message; an https address with markup stays an attribute; pasted HTML keeps only text and safe links', async () => {
    const page = owner.page;
    await ownerPlan.selectPhrase('Ferias vocacionales.');
    await page.getByRole('toolbar').getByRole('button', { name: 'Insertar enlace' }).click();
    const dialog = page.getByRole('dialog', { name: 'Enlace' });
    const address = dialog.getByRole('textbox', { name: 'Dirección (URL)' });
    for (const href of REFUSED_LINKS) {
      await address.fill(href);
      await dialog.getByRole('button', { name: 'Aplicar' }).click();
      await dialog.getByRole('alert').filter({ hasText: 'Solo se permiten enlaces que empiecen por http://, https:// o mailto:.' }).waitFor();
      expect(await address.getAttribute('aria-invalid')).toBe('true');
    }
    expect(await ownerPlan.editor.locator('a').count()).toBe(0);
    await address.fill(HTTPS_WITH_MARKUP);
    await dialog.getByRole('button', { name: 'Aplicar' }).click();
    await dialog.waitFor({ state: 'detached' });
    for (const plan of [ownerPlan, guestPlan]) {
      const anchor = plan.editor.locator('a', { hasText: 'Ferias vocacionales.' });
      await anchor.waitFor({ timeout: 10_000 });
      expect(await anchor.getAttribute('href')).toBe(HTTPS_WITH_MARKUP);
    }

    // HTML pasted into the plan (as from a web page) is parsed inertly: only text and safe links stay.
    await ownerPlan.typeAfter('Visitas guiadas a empresas.', ' ');
    await page.evaluate((html) => {
      const data = new DataTransfer();
      data.setData('text/html', html);
      data.setData('text/plain', 'Pegado');
      document.querySelector('.ProseMirror')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, PASTED_HTML);
    for (const plan of [ownerPlan, guestPlan]) {
      await expect.poll(() => plan.text(), { timeout: 10_000 }).toContain('Visitas guiadas a empresas. Pegado: enlace pegado y bueno');
      const anchors = plan.editor.locator('p', { hasText: 'Pegado:' }).locator('a');
      expect(await anchors.evaluateAll((links) => links.map((a) => [a.textContent, a.getAttribute('href')]))).toEqual([['bueno', 'https://example.org/ok']]);
    }
    await expectClean(page, 'owner: link dialog, pasted HTML');
    await expectClean(guest.page, 'guest: link and pasted HTML from the owner');
  });

  it('version view, comparison, and their standalone pages', async () => {
    const page = owner.page;
    await page.getByRole('button', { name: 'Versiones', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Versiones' });
    await dialog.getByLabel('Nombre de la versión').fill(VERSION_AFTER);
    await dialog.getByRole('button', { name: 'Capturar versión' }).click();
    await dialog.getByRole('button', { name: `Abrir «${VERSION_AFTER}»` }).click();
    const body = dialog.getByRole('document', { name: `Versión «${VERSION_AFTER}» (solo lectura)` });
    await body.waitFor();
    expect(await dialog.locator('h3.compare__title').textContent()).toBe(VERSION_AFTER);
    await expectLiteral(body, PLAN_TEXT);
    await expectLiteral(body.locator('.suggestion--insertion'), SUGGESTION_TEXT);
    expect(await hrefs(body.locator('a'))).toEqual(PLAN_LINKS);
    const versionPage = await dialog.getByRole('link', { name: 'Abrir como página' }).getAttribute('href');
    await expectClean(page, 'version view');
    await dialog.getByRole('button', { name: /Volver a las versiones/ }).click();

    await dialog.getByLabel('Desde').selectOption({ label: VERSION_BEFORE });
    await dialog.getByLabel('Hasta').selectOption({ label: VERSION_AFTER });
    await dialog.getByRole('button', { name: 'Comparar', exact: true }).click();
    await dialog.getByRole('table', { name: 'Resumen por sección' }).waitFor();
    expect(await dialog.locator('h3.compare__title').textContent()).toBe(`«${VERSION_BEFORE}» → «${VERSION_AFTER}»`);
    const changes = dialog.getByRole('region', { name: 'Plan con los cambios marcados' });
    await expectLiteral(changes.locator('ins.diff-ins'), PLAN_TEXT);
    await expectLiteral(changes.locator('ins.diff-ins'), SUGGESTION_TEXT);
    expect(await changes.locator(`ins.diff-ins[title="Insertado por ${NAME.replace(/"/g, '\\"')} (${DELEGATION.replace(/"/g, '\\"')})"]`).count()).toBeGreaterThan(0);
    await expectLiteral(dialog.getByRole('list', { name: /Autores/ }), `${NAME} · ${DELEGATION}`);
    await expectLiteral(dialog.getByRole('region', { name: 'Comentarios y sugerencias entre ambos estados' }), `«${QUOTE}»`);
    expect(await hrefs(changes.locator('a'))).toEqual(PLAN_LINKS);
    const comparePage = await dialog.getByRole('link', { name: 'Abrir como página' }).getAttribute('href');
    await expectClean(page, 'comparison view');
    await dialog.getByRole('button', { name: 'Cerrar' }).click();

    // The standalone pages (stricter CSP of their own), opened as the person would, in a new tab.
    for (const [where, href, heading] of [
      ['version page', versionPage!, `Versión «${VERSION_AFTER}»`],
      ['comparison page', comparePage!, `Comparación de «${VERSION_BEFORE}»`],
    ] as const) {
      const tab = await owner.context.newPage();
      const response = await tab.goto(new URL(href, server.url).href);
      expect(response?.status()).toBe(200);
      expect(await tab.locator('header h1').textContent()).toBe(TITLE_RENAMED);
      expect(await tab.title()).toContain(TITLE_RENAMED);
      await expectLiteral(tab.locator('header'), heading);
      await expectLiteral(tab.locator('main'), PLAN_TEXT);
      await expectLiteral(tab.locator('main'), SUGGESTION_TEXT);
      expect(await hrefs(tab.locator('main a'))).toEqual(PLAN_LINKS);
      if (where === 'comparison page') {
        await expectLiteral(tab.locator('header .legend'), `${NAME} (${DELEGATION})`);
        expect(await tab.locator(`ins.diff-ins`).evaluateAll((nodes) => nodes.map((n) => n.getAttribute('title')))).toContain(`Insertado por ${NAME} (${DELEGATION})`);
      } else {
        expect(await tab.locator('.suggestion--insertion').first().getAttribute('title')).toBe(`Sugerencia de inserción de ${NAME}`);
      }
      await expectClean(tab, where);
      await tab.close();
    }
  });

  it('the exported standalone HTML (downloaded from the editor, and with comments) opened in a fresh page', async () => {
    const page = owner.page;
    await page.getByRole('button', { name: 'Exportar' }).click();
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.getByRole('menuitem', { name: 'HTML' }).click()]);
    const downloaded = readFileSync(await download.path(), 'utf8');
    // The same export with the open comment threads listed at the end.
    const withComments = new TextDecoder().decode(
      (await server.context.exports.exportNow(planId, TITLE_RENAMED, { format: 'html', comments: true, suggestions: true, lang: 'es' })).bytes,
    );

    const context = await browser.newContext();
    extraContexts.push(context);
    await context.addInitScript(recordViolations);
    for (const [where, html] of [
      ['exported HTML', downloaded],
      ['exported HTML with comments', withComments],
    ] as const) {
      const file = await context.newPage();
      await file.goto(`data:text/html;charset=utf-8;base64,${Buffer.from(html).toString('base64')}`);
      expect(await file.locator('.plan-name').textContent()).toBe(TITLE_RENAMED);
      expect(await file.title()).toContain(TITLE_RENAMED);
      await expectLiteral(file.locator('main'), PLAN_TEXT);
      expect(await file.locator('main ins.suggestion').first().getAttribute('data-author')).toBe(NAME);
      await expectLiteral(file.locator('main ins.suggestion'), SUGGESTION_TEXT);
      expect(await hrefs(file.locator('main a'))).toEqual(PLAN_LINKS);
      if (where === 'exported HTML with comments') {
        const comments = file.locator('section.comments');
        expect(await comments.locator('.quote').first().textContent()).toBe(`«${QUOTE}»`);
        expect(await comments.locator('.who').allTextContents()).toContain(NAME);
        await expectLiteral(comments, `${NAME} · ${DELEGATION}`);
        await expectLiteral(comments, COMMENT_BODY);
      }
      await expectClean(file, where);
    }
    await expectClean(page, 'owner after export');
  });

  it('imported DOCX and Markdown files carrying the payloads (title, text, table, links) open in the editor as text', async () => {
    const page = owner.page;
    await expectClean(page, 'owner before leaving the plan');
    await expectClean(guest.page, 'guest');

    const cell = (text: string) => new TableCell({ children: [new Paragraph(text)] });
    const docx = await Packer.toBuffer(
      new Document({
        sections: [
          {
            children: [
              new Paragraph({ heading: HeadingLevel.HEADING_1, text: DOCX_TITLE }),
              new Paragraph({ heading: HeadingLevel.HEADING_2, text: P.script }),
              ...Object.values(P).map((payload) => new Paragraph({ children: [new TextRun('Texto: '), new TextRun({ text: payload, bold: true })] })),
              new Table({ rows: [new TableRow({ children: [cell(P.img), cell(P.template)] }), new TableRow({ children: [cell(P.svg), cell(P.css)] })] }),
              new Paragraph({
                children: [
                  new ExternalHyperlink({ link: P.js, children: [new TextRun({ text: 'enlace peligroso', style: 'Hyperlink' })] }),
                  new TextRun(' y '),
                  new ExternalHyperlink({ link: HTTPS_WITH_MARKUP, children: [new TextRun({ text: P.svg, style: 'Hyperlink' })] }),
                ],
              }),
            ],
          },
        ],
      }),
    );
    const markdown = [
      `# ${P.svg} Plan de Markdown`,
      '',
      `Texto: ${P.img} y ${P.template}`,
      '',
      P.script,
      '',
      '</style><style>body{display:none}</style>',
      '',
      `- [enlace peligroso](${P.js}) y [otro](${HTTPS_WITH_MARKUP.replace(/ /g, '%20')})`,
      `- ${P.css}`,
      '',
      '| a | b |',
      '|---|---|',
      `| ${P.script} | ${P.template} |`,
      '',
    ].join('\n');

    const imports = [
      { where: 'imported DOCX', file: { name: `${P.svg}.docx`, mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', buffer: docx }, title: '', expectedTitle: DOCX_TITLE, note: P.js },
      { where: 'imported Markdown', file: { name: `${P.img}.md`, mimeType: 'text/markdown', buffer: Buffer.from(markdown) }, title: MD_TITLE, expectedTitle: MD_TITLE, note: '<svg onload="window.__xss=1">' },
    ];
    for (const { where, file, title, expectedTitle, note } of imports) {
      await page.goto(new URL('/', server.url).href);
      await page.getByRole('button', { name: 'Importar' }).click();
      const dialog = page.getByRole('dialog', { name: 'Importar un plan desde un archivo' });
      await dialog.getByLabel('Archivo (.docx o .md)').setInputFiles(file);
      if (title) await dialog.getByLabel('Título del plan (opcional)').fill(title);
      await dialog.getByRole('button', { name: 'Importar' }).click();
      // What was left out is listed, with examples shown as text (a refused address, raw HTML).
      await dialog.getByRole('heading', { name: 'Lo que no se pudo importar' }).waitFor({ timeout: 20_000 });
      await expectLiteral(dialog.getByRole('status'), `Se creó el plan «${expectedTitle}».`);
      await expectLiteral(dialog.getByRole('list'), note);
      await expectClean(page, `${where}: report`);
      await dialog.getByRole('button', { name: 'Abrir el plan' }).click();
      await page.waitForURL(/\/d\//);
      const plan = new PlanPage(page);
      await plan.editor.waitFor({ timeout: 15_000 });
      await plan.waitUntilConnected();
      expect(await page.locator('.plan-title__text').textContent()).toBe(expectedTitle);
      await expectLiteral(page.getByRole('navigation', { name: 'Índice del plan' }), where === 'imported DOCX' ? DOCX_TITLE : P.svg);
      // textContent: innerText leaves out blocks that are not rendered (content-visibility).
      const text = (await plan.editor.textContent()) ?? '';
      for (const payload of Object.values(P)) expect(text, `${where}: ${payload}`).toContain(payload);
      // (A Markdown table cell cannot hold the img payload: its "||" splits the cell.)
      for (const payload of [where === 'imported DOCX' ? P.img : P.script, P.template]) await expectLiteral(plan.editor.locator('td'), payload);
      expect(await plan.editor.locator('a').evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href')))).toEqual(
        where === 'imported DOCX' ? [HTTPS_WITH_MARKUP] : [HTTPS_WITH_MARKUP.replace(/ /g, '%20').replace(/"/g, '%22').replace(/</g, '%3C').replace(/>/g, '%3E')],
      );
      await expectClean(page, where);
    }
  });

  it('the documents list shows every payload title and the online guest as text; no script ran and the CSP reported nothing', async () => {
    const page = owner.page;
    await page.goto(new URL('/', server.url).href);
    for (const title of [TITLE_RENAMED, DOCX_TITLE, MD_TITLE]) await page.getByRole('link', { name: title, exact: true }).waitFor();
    const card = page.locator('.doc-card', { has: page.getByRole('link', { name: TITLE_RENAMED, exact: true }) });
    await expectLiteral(card.locator('.avatars'), `${NAME} · ${DELEGATION}`);
    await expectClean(page, 'documents list');
    await expectClean(guest.page, 'guest at the end');
    expect(server.context.cspReports).toEqual([]);
    expect(unexpected(owner)).toEqual([]);
    expect(unexpected(guest)).toEqual([]);
  });
});
