// The render stage: runs/<id>/record.json → report.html and summary.md, each written atomically.

import { join } from 'node:path';
import { writeFileAtomic } from '../record/atomic-write.ts';
import { readRecord } from '../record/read-record.ts';
import { renderHtmlReport } from './html-report.ts';
import { renderSummaryMarkdown } from './summary-markdown.ts';

export interface WrittenReport {
  html: string;
  markdown: string;
}

export async function writeReport(runDir: string): Promise<WrittenReport> {
  const record = await readRecord(runDir);
  const html = join(runDir, 'report.html');
  const markdown = join(runDir, 'summary.md');
  await writeFileAtomic(html, await renderHtmlReport(record));
  await writeFileAtomic(markdown, renderSummaryMarkdown(record));
  return { html, markdown };
}
