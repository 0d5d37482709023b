import { describe, expect, it } from 'vitest';
import { useStage } from './stage.ts';
import { Person } from './browser.ts';

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
    let cut = true;
    await carla.context.routeWebSocket(/\/collab\//, (ws) => {
      if (cut) ws.close();
      else ws.connectToServer();
    });
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
    cut = false;
    await carla.page.reload();
    await carlaPlan.waitUntilConnected();
    await expect.poll(() => darioPlan.text(), { timeout: 15_000 }).toContain('Escrito sin conexión.');
    await expect.poll(() => carlaPlan.text(), { timeout: 15_000 }).toContain('Escrito en línea.');
    expect(await carlaPlan.text()).toBe(await darioPlan.text());
    await carla.close();
    await dario.close();
  });
});
