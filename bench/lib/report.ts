/**
 * Turning results into text: a plain table for the terminal and a Markdown section that
 * `--write` puts into docs/benchmarks.md between two markers, leaving the prose around it.
 */
import { promises as fs } from 'node:fs';
import { describeLoad, describeMachine, type MachineInfo, type MachineLoad } from './machine.ts';
import type { ProfileReport } from './profile.ts';
import { formatMs, median } from './stats.ts';
import type { CaseResult, LatencySummary, ScenarioResult, ServerName } from './types.ts';

/** Everything one run of the suite produced. */
export interface BenchResult {
  machine: MachineInfo;
  load: MachineLoad;
  /** ISO time the run started (UTC). */
  date: string;
  /** Git revision of the code measured. */
  revision: string;
  /** How it was invoked, to repeat it. */
  command: string;
  scenarios: ScenarioResult[];
}

/**
 * Each scenario's results sit between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->`,
 * so that running one scenario with --write leaves the others' figures alone. A scenario
 * without a section yet gets one just before this marker (or at the end of the file).
 */
export const RESULTS_END = '<!-- bench:results:end -->';

const marker = (name: string, edge: 'start' | 'end'): string => `<!-- bench:${name}:${edge} -->`;

const SERVER_LABEL: Record<ServerName, string> = { reference: 'reference (y-websocket 2.1.0)', minga: 'Minga' };
const ORDER: ServerName[] = ['reference', 'minga'];

const times = (value: number): string => (Number.isFinite(value) ? `×${value.toFixed(2)}` : '–');

function cells(s: LatencySummary): string[] {
  return [formatMs(s.p50), formatMs(s.p95), formatMs(s.p99), formatMs(s.max), formatMs(s.mean), `${formatMs(s.first.p50)} / ${formatMs(s.first.p99)}`, `${formatMs(s.all.p50)} / ${formatMs(s.all.p99)}`, `${s.samples}/${s.expected}`, String(s.lost), String(s.disconnects), s.sendRate.toFixed(0), s.converged ? 'yes' : 'NO', s.serverCpuUsPerKeystroke === null ? '–' : s.serverCpuUsPerKeystroke.toFixed(0), s.serverWakeupsPerKeystroke === null ? '–' : s.serverWakeupsPerKeystroke.toFixed(2)];
}

const HEADERS = ['p50', 'p95', 'p99', 'max', 'mean', 'first p50 / p99', 'all p50 / p99', 'deliveries', 'lost', 'disconnects', 'sent/s', 'converged', 'server CPU µs/keystroke', 'server wake-ups/keystroke'];

function caseTitle(c: CaseResult): string {
  const p = c.params;
  return `${c.label}: ${p.keystrokes} keystrokes per room and server, ${p.intervalMs} ms apart in each room, ${p.rounds} rounds, ${p.warmup} warm-up keystrokes per round`;
}

function pad(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => '  ' + row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')).join('\n');
}

function profileText(report: ProfileReport, markdown: boolean): string {
  const head = `CPU profile of ${report.server} while measured: busy ${report.busyMs.toFixed(0)} ms of ${report.windowMs.toFixed(0)} ms (${((report.busyMs / report.windowMs) * 100).toFixed(0)}% of one core)`;
  const rows = (entries: ProfileReport['files']): string[] => entries.map((e) => `${e.pct.toFixed(1).padStart(5)}%  ${e.ms.toFixed(0).padStart(6)} ms  ${e.name}`);
  const stalls = report.stalls.map((s) => `${s.ms.toFixed(1).padStart(6)} ms in its round ${s.window} at +${(s.at / 1000).toFixed(1)} s: ${s.parts.map((p) => `${p.name} ${p.ms.toFixed(1)} ms`).join(', ')}`);
  const body = [
    'by file (self time):', ...rows(report.files.slice(0, 12)),
    '', 'by function (self time):', ...rows(report.functions.slice(0, 12)),
    '', 'by innermost project function on the stack (with what it calls):', ...rows(report.responsible.slice(0, 12)),
    '', 'longest uninterrupted busy stretches (the server’s measured rounds numbered in order, all cases together; time since the round began: typing starts at once):', ...stalls,
  ].join('\n');
  return markdown ? `${head}\n\n\`\`\`\n${body}\n\`\`\`` : `${head}\n${body.replace(/^/gm, '  ')}`;
}

/** Each round's p99 ratio (Minga's round against the reference's next to it), and their median. */
function roundRatios(c: CaseResult): string {
  if (c.roundP99Ratios.length === 0) return '–';
  return `${c.roundP99Ratios.map(times).join(', ')} (median ${times(median(c.roundP99Ratios))})`;
}

/** The run as plain text for the terminal. */
export function formatText(result: BenchResult): string {
  const out = [`Minga benchmarks · ${result.date}`, `machine: ${describeMachine(result.machine)}`, `load: ${describeLoad(result.load)}`, `code: ${result.revision}`, `command: ${result.command}`];
  for (const scenario of result.scenarios) {
    out.push('', `${scenario.name}: ${scenario.description} (${(scenario.durationMs / 1000).toFixed(0)} s)`);
    for (const c of scenario.cases) {
      out.push('', caseTitle(c), '  latencies in ms');
      out.push(pad([['server', ...HEADERS], ...ORDER.map((name) => [SERVER_LABEL[name], ...cells(c.servers[name])])]));
      out.push(`  Minga / reference: p50 ${times(c.ratio.p50)}, p99 ${times(c.ratio.p99)}; p99 round by round ${roundRatios(c)}`);
    }
    if (scenario.notes?.length) out.push('', ...scenario.notes);
    for (const report of scenario.profiles ?? []) out.push('', profileText(report, false));
  }
  return out.join('\n');
}

/** One scenario of a run as the Markdown section of docs/benchmarks.md. */
export function formatMarkdown(result: BenchResult, scenario: ScenarioResult): string {
  const out = [
    `### ${scenario.name}`,
    '',
    `Measured ${result.date} on ${describeMachine(result.machine)}; ${describeLoad(result.load)}.`,
    `Code: ${result.revision}. Command: \`${result.command}\`. ${scenario.description} Took ${(scenario.durationMs / 1000).toFixed(0)} s.`,
  ];
  if (scenario.cases.length > 0) {
    out.push('', `| case | server | ${HEADERS.map((h) => (['p50', 'p95', 'p99', 'max', 'mean', 'first p50 / p99', 'all p50 / p99'].includes(h) ? `${h} (ms)` : h)).join(' | ')} |`);
    out.push(`|---|---|${HEADERS.map(() => '--:').join('|')}|`);
    for (const c of scenario.cases) {
      for (const name of ORDER) out.push(`| ${c.label} | ${SERVER_LABEL[name]} | ${cells(c.servers[name]).join(' | ')} |`);
    }
    out.push('', '| case | Minga / reference p50 | Minga / reference p99 | p99, round by round (median) |', '|---|--:|--:|--:|');
    for (const c of scenario.cases) out.push(`| ${c.label} | ${times(c.ratio.p50)} | ${times(c.ratio.p99)} | ${roundRatios(c)} |`);
    out.push('', ...scenario.cases.map((c) => `- ${caseTitle(c)}.`));
  }
  if (scenario.notes?.length) out.push('', ...scenario.notes);
  for (const report of scenario.profiles ?? []) out.push('', profileText(report, true));
  return out.join('\n');
}

/** Put each scenario of a run into its own generated section of a Markdown file. */
export async function writeResults(file: string, result: BenchResult): Promise<void> {
  let text = '';
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  for (const scenario of result.scenarios) {
    const [open, close] = [marker(scenario.name, 'start'), marker(scenario.name, 'end')];
    const block = `${open}\n${formatMarkdown(result, scenario)}\n${close}`;
    const start = text.indexOf(open);
    const end = text.indexOf(close);
    if (start >= 0 && end > start) text = text.slice(0, start) + block + text.slice(end + close.length);
    else if (text.includes(RESULTS_END)) text = text.replace(RESULTS_END, `${block}\n\n${RESULTS_END}`);
    else text = `${text}${text && !text.endsWith('\n') ? '\n' : ''}\n${block}\n`;
  }
  await fs.writeFile(file, text);
}
