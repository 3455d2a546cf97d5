// The column layout of a k6 CSV file, from its header line, and the tags a line's tag columns
// (everything after metric_name, timestamp, metric_value) carry.

import type { SampleTags } from './k6-sample.ts';

// k6 v2 writes these columns; used only when a file lacks its header line.
export const DEFAULT_COLUMNS =
  'metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata'.split(
    ',',
  );

export interface ColumnLayout {
  ncols: number;
  /** Indexes into the tag columns (column index - 3); -1 when the column is absent. */
  check: number;
  scenario: number;
  name: number;
  status: number;
  errorCode: number;
  /** The request's kind (page, api, asset): its own column if present, else inside extra_tags. */
  kind: number;
  extraTags: number;
  metadata: number;
}

/** where: "file:line" for the error message. */
export function columnLayout(columns: string[], where: string): ColumnLayout {
  const need = ['metric_name', 'timestamp', 'metric_value'];
  if (need.some((c, i) => columns[i] !== c)) {
    throw new Error(
      `${where}: header must start with ${need.join(',')} (found "${columns.slice(0, 3).join(',')}"); write samples with k6 --out csv=...`,
    );
  }
  const tail = columns.slice(3);
  return {
    ncols: columns.length,
    check: tail.indexOf('check'),
    scenario: tail.indexOf('scenario'),
    name: tail.indexOf('name'),
    status: tail.indexOf('status'),
    errorCode: tail.indexOf('error_code'),
    kind: tail.indexOf('kind'),
    extraTags: tail.indexOf('extra_tags'),
    metadata: tail.indexOf('metadata'),
  };
}

// k6 writes custom tags and metadata as "k=v&k2=v2" in one column each.
const ORDER_ID = /(?:^|&)order_id=(\d+)(?:&|$)/;

export function tagsFromTail(layout: ColumnLayout, tail: string[]): SampleTags {
  const at = (i: number) => (i >= 0 ? (tail[i] ?? '') : '');
  const extra = at(layout.extraTags);
  const meta = at(layout.metadata);
  const orderId = extra === '' && meta === '' ? '' : ((ORDER_ID.exec(extra) ?? ORDER_ID.exec(meta))?.[1] ?? '');
  return {
    check: at(layout.check),
    scenario: at(layout.scenario),
    name: at(layout.name),
    status: at(layout.status),
    errorCode: at(layout.errorCode),
    orderId,
    kind: layout.kind >= 0 ? at(layout.kind) : kindInExtraTags(extra),
    fieldCount: 3 + tail.length,
    memo: undefined,
  };
}

/** k6 writes tags without a column of their own as "k=v&k2=v2" in extra_tags. Once per distinct tail (tag-table.ts). */
export function kindInExtraTags(extra: string): string {
  if (extra === '') return '';
  for (const kv of extra.split('&')) if (kv.startsWith('kind=')) return kv.slice(5);
  return '';
}
