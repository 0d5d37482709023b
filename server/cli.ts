/**
 * `npm run -s cli -- <command> [--json]`: the command-line admin (PRODUCT.md, Contracts).
 * Works on a stopped server's DATA_DIR directly, or asks the running server that holds it.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { adminCreateDocument, adminInvite, DocCreateInput, InviteInput } from './workspace/admin-commands.ts';
import { FileDocumentStorage } from './store/file-document-storage.ts';
import { acquireLock, readLock } from './store/lock.ts';
import { MetaStore } from './store/meta-store.ts';
import { Workspace, WorkspaceError } from './workspace/workspace.ts';
import { configFromEnv } from './config.ts';
import { EXPORT_USAGE, parseExportCommand, runExportCommand } from './export/export-command.ts';
import { TaskError } from './export/task-error.ts';
import { createLogger } from './logger.ts';
import { adminCreateVersion, adminVerifyVersions, VersionCreateInput, VersionVerifyInput } from './versions/admin.ts';
import { createVersioning } from './versions/index.ts';
import { storedPlanSource } from './versions/plan-source.ts';

const USAGE = `Usage: npm run -s cli -- <command> [options] [--json]

Commands:
  doc create --title T [--template sovio|blank]                 create a plan → {"id"}
  invite --doc ID --role ROLE --name N [--delegation D]
         [--single-use] [--expires-hours H]                      add a participant → {"url","token"}
  version create --doc ID --name N                              capture a named version → {"id"}
  version verify --doc ID                                       check the version chain → {"ok","versions","problems"}
                                                                (exit status 1 when the chain is broken)
${EXPORT_USAGE}

Environment: DATA_DIR (default ./data), PUBLIC_URL (base of invite links when the server is stopped).`;

class CliError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

type Command =
  | { name: 'doc create'; input: z.infer<typeof DocCreateInput> }
  | { name: 'invite'; input: z.infer<typeof InviteInput> }
  | { name: 'version create'; input: z.infer<typeof VersionCreateInput> }
  | { name: 'version verify'; input: z.infer<typeof VersionVerifyInput> };

/** The admin API route of each command (for a running server). */
const ADMIN_ROUTES: Record<Command['name'], string> = {
  'doc create': '/api/admin/documents',
  invite: '/api/admin/invites',
  'version create': '/api/admin/versions',
  'version verify': '/api/admin/versions/verify',
};

function parseCommand(argv: string[]): { command: Command; json: boolean } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      title: { type: 'string' },
      template: { type: 'string' },
      doc: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      delegation: { type: 'string' },
      'single-use': { type: 'boolean', default: false },
      'expires-hours': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const verb = positionals.join(' ');
  const check = <T>(schema: z.ZodType<T>, raw: unknown): T => {
    const result = schema.safeParse(raw);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new CliError('invalid_arguments', `--${issue.path.join('.')}: ${issue.message}\n\n${USAGE}`);
    }
    return result.data;
  };
  if (values.help || verb === '' || verb === 'help') throw new CliError('usage', USAGE);
  if (verb === 'doc create') {
    return { json: values.json, command: { name: 'doc create', input: check(DocCreateInput, { title: values.title, template: values.template }) } };
  }
  if (verb === 'invite') {
    const input = check(InviteInput, {
      doc: values.doc,
      role: values.role,
      name: values.name,
      delegation: values.delegation,
      reusable: !values['single-use'],
      expiresInHours: values['expires-hours'] === undefined ? undefined : Number(values['expires-hours']),
    });
    return { json: values.json, command: { name: 'invite', input } };
  }
  if (verb === 'version create') {
    return { json: values.json, command: { name: 'version create', input: check(VersionCreateInput, { doc: values.doc, name: values.name }) } };
  }
  if (verb === 'version verify') {
    return { json: values.json, command: { name: 'version verify', input: check(VersionVerifyInput, { doc: values.doc }) } };
  }
  throw new CliError('unknown_command', `Unknown command "${verb}".\n\n${USAGE}`);
}

/** Run against a running server through its admin API. */
async function viaServer(url: string, adminToken: string, command: Command): Promise<unknown> {
  const route = ADMIN_ROUTES[command.name];
  const response = await fetch(new URL(route, url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-minga-admin': adminToken },
    body: JSON.stringify(command.input),
  });
  const body = (await response.json()) as { error?: { code: string; message: string } };
  if (!response.ok) throw new CliError(body.error?.code ?? 'server_error', body.error?.message ?? `server answered ${response.status}`);
  return body;
}

/** Run directly on the files of a stopped server, holding its lock meanwhile. */
async function onFiles(dataDir: string, command: Command): Promise<unknown> {
  const lock = await acquireLock(dataDir, { url: null, adminToken: null, kind: 'cli' });
  try {
    const meta = await MetaStore.open(dataDir);
    const storage = new FileDocumentStorage(path.join(dataDir, 'documents'));
    try {
      // The server may have stopped with a crash of the machine: restore before reading.
      await storage.recover();
      const workspace = new Workspace(meta, storage);
      if (command.name === 'doc create') return await adminCreateDocument(workspace, command.input);
      if (command.name === 'version create' || command.name === 'version verify') {
        const { versions } = createVersioning({ dataDir, meta, workspace, source: storedPlanSource(storage), logger: createLogger({ quiet: true, write: () => {} }) });
        return command.name === 'version create' ? await adminCreateVersion(versions, command.input) : await adminVerifyVersions(versions, command.input);
      }
      const config = configFromEnv();
      const publicUrl = config.publicUrl ?? `http://${config.host === '127.0.0.1' ? 'localhost' : config.host}:${config.port}`;
      return await adminInvite(workspace, publicUrl, command.input);
    } finally {
      await storage.close();
    }
  } finally {
    await lock.release();
  }
}

async function main(): Promise<number> {
  let json = process.argv.includes('--json');
  try {
    if (process.argv[2] === 'export') {
      // Exporting only reads: no lock, no admin API (see export-command.ts).
      const written = await runExportCommand(configFromEnv().dataDir, parseExportCommand(process.argv.slice(3)));
      console.log(json ? JSON.stringify(written) : `path: ${written.path}\nbytes: ${written.bytes}`);
      return 0;
    }
    const parsed = parseCommand(process.argv.slice(2));
    json = parsed.json;
    const { dataDir } = configFromEnv();
    const holder = await readLock(dataDir);
    let result: unknown;
    if (holder?.kind === 'server' && holder.url && holder.adminToken) result = await viaServer(holder.url, holder.adminToken, parsed.command);
    else result = await onFiles(dataDir, parsed.command);
    const { userId: _internal, ...visible } = result as Record<string, unknown>;
    console.log(json ? JSON.stringify(visible) : Object.entries(visible).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`).join('\n'));
    // A broken version chain is a finding scripts must not miss.
    return visible.ok === false ? 1 : 0;
  } catch (error) {
    const code = error instanceof CliError || error instanceof WorkspaceError || error instanceof TaskError ? error.code : 'failed';
    const message = (error as Error).message;
    if (json) console.log(JSON.stringify({ error: { code, message } }));
    else console.error(message);
    return code === 'usage' ? 0 : 1;
  }
}

process.exitCode = await main();
