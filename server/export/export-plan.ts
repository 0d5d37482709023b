/**
 * One export, start to finish: build the plan model from its snapshot and write the chosen
 * format. Runs inside an export worker (export-worker.ts), or directly in the CLI's process.
 */
import { EXPORT_MEDIA_TYPES, type ExportOptions } from '../../shared/export.ts';
import { exportPlanDocx } from './docx.ts';
import { exportPlanHtml } from './html.ts';
import { exportPlanMarkdown } from './markdown.ts';
import { exportPlanPdf, PdfUnavailableError } from './pdf.ts';
import { buildPlanModel, type PlanSnapshot } from './plan-model.ts';
import { TaskError } from './task-error.ts';

/** What to export and how. */
export interface ExportRequest {
  snapshot: PlanSnapshot;
  options: ExportOptions;
}

/** A finished export. */
export interface ExportResult {
  bytes: Uint8Array;
  mediaType: string;
  fileName: string;
}

/** Progress of a job: a fraction from 0 to 1 and what it is doing. */
export type ProgressReport = (fraction: number, stage: string) => void;

/** A file name a person recognises, safe on every file system: "plan-de-trabajo-plan-actual.docx". */
export function exportFileName(title: string, versionLabel: string, extension: string): string {
  const slug = `${title} ${versionLabel}`
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return `${slug || 'plan'}.${extension}`;
}

/** Produce one export, reporting progress as it goes. */
export async function exportPlan(request: ExportRequest, progress: ProgressReport = () => {}): Promise<ExportResult> {
  const { options } = request;
  progress(0.05, 'reading');
  const model = buildPlanModel(request.snapshot, { lang: options.lang, suggestions: options.suggestions });
  progress(0.15, 'converting');
  const fileName = exportFileName(model.title, model.versionLabel, options.format);
  const mediaType = EXPORT_MEDIA_TYPES[options.format];
  const scaled = (from: number, to: number, stage: string) => (fraction: number) => progress(from + (to - from) * fraction, stage);
  const encode = (text: string) => new TextEncoder().encode(text);
  let bytes: Uint8Array;
  switch (options.format) {
    case 'docx':
      bytes = await exportPlanDocx(model, { comments: options.comments, suggestions: options.suggestions, onProgress: scaled(0.15, 0.95, 'converting') });
      break;
    case 'html':
      bytes = encode(exportPlanHtml(model, options));
      break;
    case 'md':
      bytes = encode(exportPlanMarkdown(model, options));
      break;
    case 'pdf':
      try {
        bytes = await exportPlanPdf(model, { ...options, onProgress: scaled(0.15, 0.95, 'rendering') });
      } catch (error) {
        if (error instanceof PdfUnavailableError) throw new TaskError(503, error.code, error.message);
        throw error;
      }
      break;
  }
  progress(1, 'done');
  return { bytes, mediaType, fileName };
}
