import { describe, expect, it } from 'vitest';
import { useStage } from './stage.ts';
import { readFileSync } from 'node:fs';
import { docxParagraphs, docxParts } from '../helpers/docx-reader.ts';
import { Person } from './browser.ts';

const stage = useStage();

describe('journey 5: the plan travels as Word and PDF', () => {
  it('a viewer exports the plan to Word from the editor and gets a DOCX with its outline', async () => {
    const reviewer = await Person.enter(stage.browser);
    await reviewer.openInvite((await stage.server.invite('viewer', { name: 'Misión Permanente', delegation: 'OEA' })).url);
    const page = reviewer.page;

    await page.getByRole('button', { name: 'Exportar' }).click();
    await page.getByRole('menuitem', { name: 'Word (DOCX)…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Exportar a Word (DOCX)' });
    expect(await dialog.getByLabel('Incluir los comentarios abiertos como comentarios de Word').isChecked()).toBe(true);
    expect(await dialog.getByLabel('Incluir las sugerencias abiertas como control de cambios').isChecked()).toBe(true);
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), dialog.getByRole('button', { name: 'Exportar' }).click()]);
    expect(download.suggestedFilename()).toBe('plan-de-trabajo-para-la-mejora-del-sovio-plan-actual.docx');
    const bytes = new Uint8Array(readFileSync(await download.path()));
    const paragraphs = docxParagraphs(docxParts(bytes)['word/document.xml']);
    expect(paragraphs.filter((p) => p.style === 'Heading2').map((p) => p.text)).toContain('5. Acciones de mejora');
    expect(paragraphs[1].text).toBe('Plan actual');
    await page.getByText('Exportación lista: plan-de-trabajo-para-la-mejora-del-sovio-plan-actual.docx').waitFor();

    // The menu works from the keyboard too: Enter opens it, arrows move, Enter exports.
    await page.getByRole('button', { name: 'Exportar' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Word (DOCX)…');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Markdown');
    const [markdown] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.keyboard.press('Enter')]);
    expect(readFileSync(await markdown.path(), 'utf8')).toContain('## 1. Antecedentes');
    // The 401s are the session probe before the invite is redeemed.
    expect(reviewer.errors.filter((e) => !/401/.test(e))).toEqual([]);
    await reviewer.close();
  });

  it('an owner imports a Markdown file from the documents page, sees what was left out, and opens the new plan', async () => {
    const owner = await Person.enter(stage.browser);
    await owner.openInvite((await stage.server.invite('owner', { name: 'Coordinación MTPE' })).url);
    const page = owner.page;
    await page.goto(new URL('/', stage.server.url).href);
    await page.getByRole('button', { name: 'Importar' }).click();
    const dialog = page.getByRole('dialog', { name: 'Importar un plan desde un archivo' });
    const markdown = '# Plan desde un archivo\n\n## Objetivos\n\n- Uno\n  - Uno punto uno\n\nVea [la RIAL](https://www.rialnet.org) y ![logo](logo.png)\n';
    await dialog.getByLabel('Archivo (.docx o .md)').setInputFiles({ name: 'plan.md', mimeType: 'text/markdown', buffer: Buffer.from(markdown) });
    await dialog.getByRole('button', { name: 'Importar' }).click();
    await dialog.getByRole('heading', { name: 'Lo que no se pudo importar' }).waitFor({ timeout: 20_000 });
    expect(await dialog.getByRole('listitem').allInnerTexts()).toEqual([expect.stringContaining('Imágenes: 1')]);
    await dialog.getByRole('button', { name: 'Abrir el plan' }).click();
    await page.waitForURL(/\/d\//);
    await page.locator('.ProseMirror h1', { hasText: 'Plan desde un archivo' }).waitFor({ timeout: 15_000 });
    await page.locator('.ProseMirror a[href="https://www.rialnet.org"]').waitFor();

    // A refused upload explains itself in the person's language and creates nothing.
    const before = stage.server.workspace.meta.data.documents.length;
    await page.goto(new URL('/', stage.server.url).href);
    await page.getByRole('button', { name: 'Importar' }).click();
    await dialog.getByLabel('Archivo (.docx o .md)').setInputFiles({ name: 'plan.docx', mimeType: 'application/octet-stream', buffer: Buffer.from('no soy un docx') });
    await dialog.getByRole('button', { name: 'Importar' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'no es un documento de Word' }).waitFor();
    expect(stage.server.workspace.meta.data.documents.length).toBe(before);
    await owner.close();
  });
});

