// The MariaDB command-line client against the replica's socket, as the all-privilege account that
// authenticates by unix socket as our OS user (root, or the invoking user when not root). zx runs it:
// a one-shot command whose output we read.
import { $ } from 'zx';
import type { Layout } from './layout.ts';
import { runAs } from './privilege.ts';

export interface SqlResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** Runs SQL (batch mode); `database` selects one, `raw` drops the header and escaping for parsing. */
export async function mariadbSql(
  layout: Layout,
  sql: string,
  opts: { database?: string; raw?: boolean; timeoutMs?: number } = {},
): Promise<SqlResult> {
  const args = ['--no-defaults', `--socket=${layout.mariadb.socket}`, '-u', runAs().dbAdmin, '--batch'];
  if (opts.raw) args.push('-N', '--raw');
  if (opts.database) args.push(opts.database);
  const res = await $({ quiet: true, nothrow: true, timeout: opts.timeoutMs ?? 60_000 })`mariadb ${args} -e ${sql}`;
  return { ok: res.exitCode === 0, stdout: res.stdout, stderr: res.stderr };
}

/** Rows of a query as tab-separated fields (no header). */
export async function sqlRows(layout: Layout, sql: string, database = layout.db.name): Promise<string[][]> {
  const res = await mariadbSql(layout, sql, { database, raw: true });
  if (!res.ok) throw new Error(`SQL on ${layout.mariadb.socket} failed: ${res.stderr.trim()}`);
  return res.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}
