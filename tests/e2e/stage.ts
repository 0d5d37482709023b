/**
 * The stage of a browser test file: one real server (port 0, temporary DATA_DIR) and one
 * Chromium, started before the file's tests and torn down after them.
 */
import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { removeDir, startTestServer, type TestServer } from '../helpers/server.ts';
import { launchBrowser } from './browser.ts';

/** What a browser test file works with (available once its beforeAll ran). */
export interface Stage {
  server: TestServer;
  browser: Browser;
}

/** Register the server and browser for this test file; read them from the returned object. */
export function useStage(options: Parameters<typeof startTestServer>[0] = {}): Stage {
  const stage = {} as Stage;
  beforeAll(async () => {
    stage.server = await startTestServer(options);
    stage.browser = await launchBrowser();
  });
  afterAll(async () => {
    await stage.browser?.close();
    await stage.server?.stop();
    if (stage.server) removeDir(stage.server.dataDir);
  });
  return stage;
}
