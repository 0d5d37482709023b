/** Page objects of the history features: the "Versiones" and "Hitos" dialogs, as a reviewer uses them. */
import type { Locator, Page } from 'playwright-core';

/** The "Versiones" dialog of a plan. */
export class VersionsDialog {
  constructor(readonly page: Page) {}

  get dialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Versiones' });
  }

  /** Open it from the editor's top bar. */
  async open(): Promise<this> {
    await this.page.getByRole('button', { name: 'Versiones', exact: true }).click();
    await this.dialog.getByRole('table').first().waitFor();
    return this;
  }

  /** Names of the listed versions, newest first. */
  async versionNames(): Promise<string[]> {
    return this.dialog.locator('table.versions tbody th').allInnerTexts();
  }

  /** Pick two states by their names ("Plan actual" for the live plan) and compare them. */
  async compare(from: string, to: string): Promise<ComparisonView> {
    await this.dialog.getByLabel('Desde').selectOption({ label: from });
    await this.dialog.getByLabel('Hasta').selectOption({ label: to });
    await this.dialog.getByRole('button', { name: 'Comparar', exact: true }).click();
    const view = new ComparisonView(this.dialog);
    await view.summary.waitFor();
    return view;
  }

  /** Open one version read-only; resolves with the text shown. */
  async openVersion(name: string): Promise<string> {
    await this.dialog.getByRole('button', { name: `Abrir «${name}»` }).click();
    const body = this.dialog.getByRole('document', { name: `Versión «${name}» (solo lectura)` });
    await body.waitFor();
    return body.innerText();
  }

  /** Back from a version or comparison to the list. */
  async back(): Promise<void> {
    await this.dialog.getByRole('button', { name: /Volver a las versiones/ }).click();
  }

  /** The integrity line ("Cadena íntegra" / "Alterada"). */
  async chainStatus(): Promise<string> {
    return this.dialog.locator('.chain strong').innerText();
  }
}

/** A comparison shown in the versions dialog. */
export class ComparisonView {
  constructor(readonly root: Locator) {}

  get summary(): Locator {
    return this.root.getByRole('table', { name: 'Resumen por sección' });
  }

  get document(): Locator {
    return this.root.getByRole('region', { name: 'Plan con los cambios marcados' });
  }

  /** Inserted passages, with who wrote them (tooltip). */
  async insertions(): Promise<Array<{ text: string; title: string }>> {
    return this.document.locator('ins.diff-ins').evaluateAll((nodes) => nodes.map((n) => ({ text: n.textContent ?? '', title: n.getAttribute('title') ?? '' })));
  }

  /** Deleted passages. */
  async deletions(): Promise<string[]> {
    return this.document.locator('del.diff-del').allTextContents();
  }

  /** One row of the per-section summary as cell texts (section name first). */
  async sectionRow(section: string): Promise<string[]> {
    const row = this.summary.getByRole('row').filter({ has: this.root.page().getByRole('rowheader', { name: section, exact: true }) });
    return row.locator('th, td').allInnerTexts();
  }
}

/** The "Hitos" dialog. */
export class MilestonesDialog {
  constructor(readonly page: Page) {}

  get dialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Hitos' });
  }

  /** Open it from the editor's top bar. */
  async open(): Promise<this> {
    await this.page.getByRole('button', { name: 'Hitos', exact: true }).click();
    await this.dialog.getByRole('table').waitFor();
    return this;
  }

  /** The status shown for a milestone ("Versión capturada", "Pendiente"). */
  async statusOf(title: string): Promise<string> {
    const row = this.dialog.getByRole('row').filter({ hasText: title });
    return row.locator('.milestone-status').innerText();
  }

  async close(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Cerrar' }).click();
  }
}
