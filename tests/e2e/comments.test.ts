import { describe, expect, it } from 'vitest';
import { useStage } from './stage.ts';
import { Person, type PlanPage } from './browser.ts';

const stage = useStage();

/** Open the plan as a new participant in their own stage.browser context. */
async function enter(role: 'editor' | 'suggester' | 'commenter' | 'viewer', name: string, delegation: string): Promise<{ person: Person; plan: PlanPage }> {
  const person = await Person.enter(stage.browser);
  const plan = await person.openInvite((await stage.server.invite(role, { name, delegation })).url);
  return { person, plan };
}

/** Errors a page logged, minus the expected 401 of the first session probe. */
function unexpected(person: Person): string[] {
  return person.errors.filter((e) => !/401/.test(e));
}

describe('journey 3: comment threads in the browser', () => {
  it('a suggester comments on a sentence and on a table cell; an editor sees both live, replies with an @mention and resolves; the suggester finds it under "Para mí"', async () => {
    const lucia = await enter('suggester', 'Lucía MITRADEL', 'Panamá · MITRADEL');
    const marta = await enter('editor', 'Marta MTPE', 'Perú · MTPE');

    await lucia.plan.commentOn('buenas prácticas y lecciones aprendidas', '¿Cuáles exactamente? Mencione dos.', 'shortcut');
    // Live for the editor: the passage is highlighted in the suggester's delegation colour, the card is there.
    const highlight = marta.plan.editor.locator('.comment-highlight', { hasText: 'buenas prácticas y lecciones aprendidas' });
    await highlight.first().waitFor({ timeout: 10_000 });
    expect(await highlight.first().getAttribute('style')).toContain('#1f5fbf');
    const thread = marta.plan.thread('buenas prácticas y lecciones aprendidas');
    await thread.getByText('¿Cuáles exactamente? Mencione dos.').waitFor({ timeout: 10_000 });

    // A passage inside a cell of the "Acciones de mejora" table.
    await lucia.plan.commentOn('Convenio firmado', '¿Es un indicador de resultado o de proceso?');
    await marta.plan.editor.locator('td .comment-highlight', { hasText: 'Convenio firmado' }).waitFor({ timeout: 10_000 });
    await marta.plan.thread('Convenio firmado').getByText('¿Es un indicador de resultado o de proceso?').waitFor();
    // Open threads per section of the plan.
    await marta.plan.comments.getByText('Abiertos por sección').click();
    await marta.plan.comments.getByRole('button', { name: '2. Objetivos — 1 abierto' }).waitFor();
    await marta.plan.comments.getByRole('button', { name: '5. Acciones de mejora — 1 abierto' }).waitFor();

    // Clicking the highlighted passage activates its card.
    await highlight.first().click();
    await expect.poll(() => thread.getAttribute('class')).toContain('comment-card--active');

    // Reply with a mention chosen from the autocomplete, by keyboard.
    const reply = thread.getByRole('textbox', { name: 'Responder' });
    await reply.click();
    await reply.pressSequentially('Gracias, @Luc', { delay: 20 });
    const options = marta.person.page.getByRole('listbox', { name: 'Personas que puede mencionar' });
    const option = options.getByRole('option', { name: /Lucía MITRADEL/ });
    await option.waitFor();
    expect(await reply.getAttribute('aria-activedescendant')).toBe(await options.getByRole('option').first().getAttribute('id'));
    await reply.press('Enter');
    await reply.pressSequentially('ya lo precisamos.', { delay: 10 });
    expect(await reply.inputValue()).toBe('Gracias, @Lucía MITRADEL ya lo precisamos.');
    await thread.getByRole('button', { name: 'Responder' }).click();
    await thread.locator('.mention', { hasText: '@Lucía MITRADEL' }).waitFor({ timeout: 10_000 });

    await thread.getByRole('button', { name: 'Resolver' }).click();
    await thread.getByRole('button', { name: 'Reabrir' }).waitFor({ timeout: 10_000 });

    // The suggester sees the resolution: the thread leaves "Abiertos" and waits under "Para mí".
    const hers = lucia.plan.thread('buenas prácticas y lecciones aprendidas');
    await expect.poll(() => hers.count(), { timeout: 10_000 }).toBe(0);
    await lucia.plan.comments.getByRole('button', { name: /^Para mí/ }).click();
    await hers.waitFor({ timeout: 10_000 });
    await hers.getByText('Resuelto por Marta MTPE').waitFor();
    await hers.locator('.mention--self', { hasText: '@Lucía MITRADEL' }).waitFor();
    expect(await lucia.plan.editor.locator('.comment-highlight', { hasText: 'buenas prácticas' }).count()).toBe(0);
    // The table-cell thread is still open (and not for her: nobody mentioned her there).
    expect(await lucia.plan.thread('Convenio firmado').count()).toBe(0);

    expect(unexpected(lucia.person)).toEqual([]);
    expect(unexpected(marta.person)).toEqual([]);
    await lucia.person.close();
    await marta.person.close();
  });

  it('text typed just before and after a commented passage stays outside it; deleting the passage leaves the thread detached with its quote', async () => {
    const lucia = await enter('suggester', 'Lucía MITRADEL', 'Panamá · MITRADEL');
    const marta = await enter('editor', 'Marta MTPE', 'Perú · MTPE');
    const phrase = 'Talleres para profesores de orientación';
    await lucia.plan.commentOn(phrase, 'Incluir a orientadores de colegios privados.');
    // Highlighted words of the paragraph (other tests' threads live elsewhere in the same plan).
    const highlighted = (plan: PlanPage) =>
      plan.editor.locator('p', { hasText: 'para estudiantes líderes' }).locator('.comment-highlight').evaluateAll((spans) => spans.map((s) => s.textContent).join(''));
    await expect.poll(() => highlighted(marta.plan), { timeout: 10_000 }).toBe(phrase);

    await marta.plan.caretAt(phrase, 'before');
    await marta.person.page.keyboard.type('Antes: ', { delay: 15 });
    await marta.plan.caretAt(phrase, 'after');
    await marta.person.page.keyboard.type(' (después)', { delay: 15 });
    await expect.poll(() => lucia.plan.text(), { timeout: 10_000 }).toContain(`Antes: ${phrase} (después)`);
    expect(await highlighted(marta.plan)).toBe(phrase);
    expect(await highlighted(lucia.plan)).toBe(phrase);

    // The whole passage goes: the thread stays, detached, with the words it was about.
    await marta.plan.selectPhrase(phrase);
    await marta.person.page.keyboard.press('Backspace');
    const card = lucia.plan.thread(phrase);
    await card.getByText('El pasaje comentado se eliminó').waitFor({ timeout: 10_000 });
    await card.getByRole('button', { name: `Ir al pasaje comentado: «${phrase}»` }).waitFor();
    expect(await highlighted(lucia.plan)).toBe('');
    await lucia.person.close();
    await marta.person.close();
  });

  it('markup, scripts and javascript: links in a message, a name or a delegation render as text and never run', async () => {
    const eva = await enter('commenter', '<img src=x onerror="window.__xss=2">Eva', '<script>window.__xss=3</script>OEA');
    const marta = await enter('editor', 'Marta MTPE', 'Perú · MTPE');
    const payload = '<img src=x onerror="window.__xss=1"> [x](javascript:alert(1)) javascript:alert(1) https://example.org/guia.';
    await eva.plan.commentOn('Paneles de éxito.', payload);

    const card = marta.plan.thread('Paneles de éxito.');
    await card.waitFor({ timeout: 10_000 });
    await expect.poll(() => card.locator('.comment-message__body').first().innerText(), { timeout: 10_000 }).toBe(payload);
    expect(await card.getByText('<img src=x onerror="window.__xss=2">Eva').count()).toBeGreaterThan(0);
    expect(await card.locator('img, script').count()).toBe(0);
    const links = await card.locator('a').evaluateAll((anchors) => anchors.map((a) => ({ href: a.getAttribute('href'), rel: a.getAttribute('rel'), target: a.getAttribute('target') })));
    expect(links).toEqual([{ href: 'https://example.org/guia', rel: 'noopener noreferrer nofollow', target: '_blank' }]);
    for (const page of [eva.person.page, marta.person.page]) {
      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    }
    await eva.person.close();
    await marta.person.close();
  });

  it('a commenter comments from a read-only plan, may resolve only their own thread and is told why; a viewer reads without writing', async () => {
    const lucia = await enter('suggester', 'Lucía MITRADEL', 'Panamá · MITRADEL');
    const olga = await enter('commenter', 'Olga OEA', 'OEA');
    await lucia.plan.commentOn('Charlas para padres.', 'Propongo incluir a tutores.');

    const theirs = olga.plan.thread('Charlas para padres.');
    await theirs.waitFor({ timeout: 10_000 });
    const resolve = theirs.getByRole('button', { name: 'Resolver' });
    expect(await resolve.getAttribute('aria-disabled')).toBe('true');
    expect(await resolve.getAttribute('title')).toMatch(/solo permite resolver o reabrir los hilos que usted inició/);
    await resolve.click({ force: true });
    await olga.person.page.waitForTimeout(300);
    expect(await theirs.getByText('Resuelto', { exact: true }).count()).toBe(0);

    // Text selection works in the commenter's read-only editor; the shortcut opens a draft there.
    expect(await olga.plan.editor.getAttribute('contenteditable')).toBe('false');
    await olga.plan.commentOn('Visitas guiadas a empresas.', 'Sugerimos medir la satisfacción.', 'shortcut');
    const own = olga.plan.thread('Visitas guiadas a empresas.');
    await own.getByRole('button', { name: 'Resolver' }).click();
    await own.getByRole('button', { name: 'Reabrir' }).waitFor({ timeout: 10_000 });

    const vera = await enter('viewer', 'Vera', 'OEA');
    const seen = vera.plan.thread('Charlas para padres.');
    await seen.getByText('Propongo incluir a tutores.').waitFor({ timeout: 10_000 });
    await vera.plan.comments.getByText('Puede leer los comentarios; su rol no permite escribirlos.').waitFor();
    expect(await vera.plan.comments.getByRole('button', { name: /^(Comentar|Responder|Resolver)$/ }).count()).toBe(0);
    expect(await vera.plan.comments.getByRole('textbox').count()).toBe(0);

    for (const who of [lucia, olga, vera]) await who.person.close();
  });

  it('own messages can be edited and deleted; a reply written offline waits ("se enviará al reconectar") and arrives on reconnect', async () => {
    const olga = await enter('commenter', 'Olga OEA', 'OEA');
    const marta = await enter('editor', 'Marta MTPE', 'Perú · MTPE');
    await olga.plan.commentOn('Ferias vocacionales.', 'Primera versión del comentario.');
    const card = olga.plan.thread('Ferias vocacionales.');
    await card.getByRole('button', { name: 'Editar' }).click();
    const box = card.getByRole('textbox', { name: 'Editar mensaje' });
    await box.fill('Comentario corregido.');
    await card.getByRole('button', { name: 'Guardar' }).click();
    const seen = marta.plan.thread('Ferias vocacionales.');
    await seen.getByText('Comentario corregido.').waitFor({ timeout: 10_000 });
    await seen.getByText('(editado)').waitFor();
    expect(await seen.getByRole('button', { name: 'Editar' }).count()).toBe(0); // not hers to change

    // Cut Olga's socket; she keeps the plan open and replies.
    const reconnect = await olga.person.cutCollab();
    await olga.person.page.reload();
    await olga.plan.editor.waitFor();
    await card.waitFor({ timeout: 10_000 });
    await card.getByRole('button', { name: 'Responder' }).click();
    await card.getByRole('textbox', { name: 'Responder' }).fill('Escrito sin conexión.');
    await card.getByRole('button', { name: 'Responder' }).click();
    await card.getByText('Se enviará al reconectar', { exact: true }).waitFor();
    await olga.person.page.waitForTimeout(500);
    expect(await seen.getByText('Escrito sin conexión.').count()).toBe(0);

    reconnect();
    await seen.getByText('Escrito sin conexión.').waitFor({ timeout: 20_000 });
    await expect.poll(() => card.getByText('Se enviará al reconectar', { exact: true }).count(), { timeout: 10_000 }).toBe(0);

    // Deleting her first message leaves a marker, not a hole.
    await card.getByRole('button', { name: 'Eliminar' }).first().click();
    await card.getByRole('group', { name: '¿Eliminar este mensaje?' }).getByRole('button', { name: 'Eliminar' }).click();
    await seen.getByText('Mensaje eliminado').waitFor({ timeout: 10_000 });
    expect(await seen.getByText('Comentario corregido.').count()).toBe(0);
    await olga.person.close();
    await marta.person.close();
  });

  it('a comment and a reply written offline survive reloads of the page and go out on reconnect, once each', async () => {
    const olga = await enter('commenter', 'Olga OEA', 'OEA');
    const marta = await enter('editor', 'Marta MTPE', 'Perú · MTPE');
    await olga.plan.commentOn('Retroalimentación y asesoría.', '¿Cuántos paneles al año?');
    const seen = marta.plan.thread('Retroalimentación y asesoría.');
    await seen.waitFor({ timeout: 10_000 });

    // Olga loses the connection, reloads, and writes a reply and a new comment.
    const reconnect = await olga.person.cutCollab();
    await olga.person.page.reload();
    await olga.plan.editor.waitFor();
    const card = olga.plan.thread('Retroalimentación y asesoría.');
    await card.waitFor({ timeout: 10_000 });
    await card.getByRole('button', { name: 'Responder' }).click();
    await card.getByRole('textbox', { name: 'Responder' }).fill('Respuesta escrita sin conexión.');
    await card.getByRole('button', { name: 'Responder' }).click();
    await card.getByText('Se enviará al reconectar', { exact: true }).waitFor();
    await olga.plan.selectPhrase('Charlas informativas y seminarios.');
    await olga.plan.comments.getByRole('button', { name: 'Comentar', exact: true }).first().click();
    const draft = olga.plan.comments.getByRole('article', { name: 'Nuevo comentario' });
    await draft.getByRole('textbox', { name: 'Comentario' }).fill('Comentario escrito sin conexión.');
    await draft.getByRole('button', { name: 'Comentar', exact: true }).click();
    const pendingThread = olga.plan.comments.getByRole('article', { name: 'Comentario pendiente de envío' });
    await pendingThread.getByText('Comentario escrito sin conexión.').waitFor();

    // Reloaded while still cut off: both are still there, waiting (kept in this browser).
    await olga.person.page.reload();
    await olga.plan.editor.waitFor();
    await pendingThread.getByText('Comentario escrito sin conexión.').waitFor({ timeout: 10_000 });
    await card.locator('.comment-message--pending', { hasText: 'Respuesta escrita sin conexión.' }).waitFor({ timeout: 10_000 });
    expect(await marta.plan.comments.getByText('Comentario escrito sin conexión.').count()).toBe(0);

    reconnect();
    await marta.plan.thread('Charlas informativas y seminarios.').getByText('Comentario escrito sin conexión.').waitFor({ timeout: 20_000 });
    await seen.getByText('Respuesta escrita sin conexión.').waitFor({ timeout: 20_000 });
    await expect.poll(() => olga.plan.comments.locator('.comment-card--pending, .comment-message--pending').count(), { timeout: 10_000 }).toBe(0);
    const outboxes = () => olga.person.page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('minga-outbox:')).length);
    expect(await outboxes()).toBe(0);

    // Once each: a reload online sends nothing again.
    await olga.person.page.reload();
    await olga.plan.thread('Charlas informativas y seminarios.').waitFor({ timeout: 10_000 });
    await olga.person.page.waitForTimeout(500);
    expect(await marta.plan.thread('Charlas informativas y seminarios.').count()).toBe(1);
    expect(await seen.getByText('Respuesta escrita sin conexión.').count()).toBe(1);
    expect(unexpected(olga.person)).toEqual([]);
    await olga.person.close();
    await marta.person.close();
  });
});
