/**
 * `export --doc ID --format docx|pdf|md|html [--version VID] --out FILE`: the CLI's export.
 *
 * Exporting only reads, so it never takes the data directory's lock nor asks a running server:
 * it reads the files the way they are written to be read safely. A plan's log is read before
 * its state: the server replaces the state atomically (new state first, then the log is
 * truncated), so log-then-state always yields a complete document as of the moment the log was
 * read (Yjs updates are idempotent, so overlap is harmless). A torn last log frame is skipped,
 * never trimmed. The metadata and version files are replaced atomically too. What a running
 * server received in the last second may not be on disk yet.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { EXPORT_FORMATS, EXPORT_LANGUAGES } from '../../shared/export.ts';
import { readIfExists, readStoredUpdatesReadOnly } from '../store/file-document-storage.ts';
import type { MetaData } from '../store/meta-store.ts';
import { exportPlan } from './export-plan.ts';
import { planSnapshot } from './export-service.ts';
import { TaskError } from './task-error.ts';
import { storedVersionReader } from './version-reader.ts';
import { mergeUpdateList } from '../collab/merge.ts';

/** Input of `export`. */
export const ExportCommandInput = z.object({
  doc: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a plan id'),
  format: z.enum(EXPORT_FORMATS),
  version: z.string().min(1).max(64).optional(),
  out: z.string().min(1),
  comments: z.boolean().default(false),
  /** Leave out pending suggestions (the plan as it stands without them). */
  clean: z.boolean().default(false),
  lang: z.enum(EXPORT_LANGUAGES).default('es'),
});

/** Usage lines of `export`, for the CLI's help. */
export const EXPORT_USAGE = `  export --doc ID --format docx|pdf|md|html --out FILE          export a plan → {"path","bytes"}
         [--version VID] [--comments] [--clean] [--lang es|en]  (reads only: safe beside a running server)`;

/** Parse the arguments after `export`; refusals are TaskErrors with code invalid_arguments. */
export function parseExportCommand(argv: string[]): z.infer<typeof ExportCommandInput> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean', default: false },
        doc: { type: 'string' },
        format: { type: 'string' },
        version: { type: 'string' },
        out: { type: 'string' },
        comments: { type: 'boolean', default: false },
        clean: { type: 'boolean', default: false },
        lang: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new TaskError(400, 'invalid_arguments', `${(error as Error).message}\n\n${EXPORT_USAGE}`);
  }
  const { json: _json, ...input } = values;
  const result = ExportCommandInput.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new TaskError(400, 'invalid_arguments', `--${issue.path.join('.')}: ${issue.message}\n\n${EXPORT_USAGE}`);
  }
  return result.data;
}

/** A plan's stored state, read without writing anything (journal and log first, then state: see readStoredUpdatesReadOnly). */
export async function readStoredStateReadOnly(dataDir: string, documentId: string): Promise<Uint8Array | null> {
  const updates = await readStoredUpdatesReadOnly(path.join(dataDir, 'documents'), documentId);
  return updates ? mergeUpdateList(updates) : null;
}

/** Where `--out` points: relative to the directory the person ran `npm run` in. */
function outputPath(out: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), out);
}

/** Run `export` on a data directory; resolves with the written file's path and size. */
export async function runExportCommand(dataDir: string, input: z.infer<typeof ExportCommandInput>): Promise<{ path: string; bytes: number }> {
  const metaText = await readIfExists(path.join(dataDir, 'minga.json'));
  const meta = metaText ? (JSON.parse(Buffer.from(metaText).toString('utf8')) as MetaData) : null;
  const record = meta?.documents.find((doc) => doc.id === input.doc);
  if (!record) throw new TaskError(404, 'document_not_found', `The plan ${input.doc} does not exist in ${dataDir}.`);
  const snapshot = await planSnapshot(
    { readState: (id) => readStoredStateReadOnly(dataDir, id), readVersion: storedVersionReader(dataDir) },
    input.doc,
    record.title,
    input.version,
  );
  const result = await exportPlan({ snapshot, options: { format: input.format, version: input.version, comments: input.comments, suggestions: !input.clean, lang: input.lang } });
  const file = outputPath(input.out);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, result.bytes);
  return { path: file, bytes: result.bytes.byteLength };
}
