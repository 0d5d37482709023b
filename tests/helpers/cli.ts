/** Run the command-line admin as a user would, and read its one JSON line. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ROOT } from './server.ts';

const run = promisify(execFile);

/** `npm run -s cli -- ARGS --json` against a data directory: its JSON and exit code. */
export async function cli(dataDir: string, ...args: string[]): Promise<{ json: any; code: number }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args, '--json'], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir } });
    return { json: JSON.parse(stdout), code: 0 };
  } catch (error) {
    const e = error as { stdout: string; code: number };
    return { json: JSON.parse(e.stdout), code: e.code };
  }
}
