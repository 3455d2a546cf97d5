// The render stage: runs/<id>/record.json (+ telemetry.json, plan.json when present) →
// analysis.json, report.html, summary.md and junit.xml (against the default SLO when none is given); each written
// atomically. The SLO comes from the options, else from plan.json's `slo` (when the plan carries it).

import { join } from 'node:path';
import { SloSchema, type Slo } from '../../scenarios/slo/slo-schema.ts';
import { InputError } from '../../errors/errors.ts';
import { analyseRun, type RunAnalysis } from '../analyse/analyse-run.ts';
import type { SalePeak } from '../analyse/recommendation.ts';
import { readBaseline, readPlan, readTelemetry } from '../analyse/run-context.ts';
import { runVerdict } from '../analyse/verdict.ts';
import { renderJunitXml } from '../gate/junit-xml.ts';
import { DEFAULT_PRICE_BOOK_PATH, loadPriceBook } from '../price-book/load-price-book.ts';
import { writeFileAtomic } from '../record/atomic-write.ts';
import { readRecord } from '../record/read-record.ts';
import type { RunRecord } from '../record/record-schema.ts';
import type { Telemetry } from '../../infra/telemetry/telemetry-schema.ts';
import { renderHtmlReport } from './html-report.ts';
import { renderSummaryMarkdown } from './summary-markdown.ts';

export interface ReportOptions {
  slo?: Slo;
  /** A baseline run directory to compare with. */
  baselineDir?: string;
  /** Relative regression tolerance against the baseline (default 0.1). */
  tolerance?: number;
  salePeak?: SalePeak;
  maxDroppedRate?: number;
  priceBookPath?: string;
  now?: Date;
  /** A broken telemetry.json is an error (the gate) rather than a note (the report). */
  strictTelemetry?: boolean;
}

export interface WrittenReport {
  html: string;
  markdown: string;
  analysisFile: string;
  junit: string;
  analysis: RunAnalysis;
}

/** plan.json's `slo` ({ name, file, sha256, content }, the plan stage's sloRecord), when the plan carries one. */
export function sloFromPlan(plan: unknown, runDir: string): Slo | null {
  const entry = (plan as { slo?: { content?: unknown } } | null)?.slo;
  if (entry === undefined || entry === null) return null;
  const raw = entry.content ?? entry;
  const r = SloSchema.safeParse(raw);
  if (!r.success)
    throw new InputError(
      `${join(runDir, 'plan.json')}: slo: not a valid SLO (${r.error.issues.map((i) => `content.${i.path.join('.')}: ${i.message}`).join('; ')}) — format in scenarios/slo/slo-schema.ts`,
    );
  return r.data;
}

export async function analyseRunDir(
  runDir: string,
  opts: ReportOptions = {},
): Promise<{ record: RunRecord; telemetry: Telemetry | null; analysis: RunAnalysis }> {
  const now = opts.now ?? new Date();
  const record = await readRecord(runDir);
  const plan = await readPlan(runDir);
  // A broken telemetry.json must not cost the run its report: it is set aside, and the report says why.
  const telemetryNotes: string[] = [];
  const telemetry = await readTelemetry(runDir).catch((e: Error) => {
    if (opts.strictTelemetry) throw e;
    telemetryNotes.push(`telemetry.json set aside: ${e.message}`);
    return null;
  });
  const slo = opts.slo ?? sloFromPlan(plan, runDir);
  const baseline = opts.baselineDir ? await readBaseline(opts.baselineDir) : undefined;
  // The book is only needed to price telemetry; a stale one is priced anyway and its warning shown.
  const book = telemetry
    ? await loadPriceBook(opts.priceBookPath ?? DEFAULT_PRICE_BOOK_PATH, { now }).catch((e: Error) => {
        telemetryNotes.push(`No cost: ${e.message}`);
        return null;
      })
    : null;
  const analysis = analyseRun({
    record,
    telemetry,
    plan,
    slo,
    book,
    salePeak: opts.salePeak,
    baseline,
    tolerance: opts.tolerance,
    maxDroppedRate: opts.maxDroppedRate,
    now,
  });
  analysis.notes.unshift(...telemetryNotes);
  return { record, telemetry, analysis };
}

export async function writeReport(runDir: string, opts: ReportOptions = {}): Promise<WrittenReport> {
  const { record, telemetry, analysis } = await analyseRunDir(runDir, opts);
  // One verdict for every output: the same gate result the CLI's gate and exit codes use.
  const verdict = runVerdict(analysis.gate);
  const html = join(runDir, 'report.html');
  const markdown = join(runDir, 'summary.md');
  const analysisFile = join(runDir, 'analysis.json');
  await writeFileAtomic(analysisFile, `${JSON.stringify(analysis, null, 1)}\n`);
  await writeFileAtomic(html, await renderHtmlReport(record, { verdict, analysis, telemetry }));
  await writeFileAtomic(markdown, renderSummaryMarkdown(record, verdict, analysis));
  const junit = join(runDir, 'junit.xml');
  await writeFileAtomic(junit, renderJunitXml(record.run.id, analysis.gate));
  return { html, markdown, analysisFile, junit, analysis };
}
