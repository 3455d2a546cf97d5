// checkov on the synthesized Terraform JSON (store with and without a certificate, two-region
// fleet): every failed check must be listed, with a reason, in checkov-suppressions.json, and
// every listed suppression must still match a finding (no stale excuses).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
// @ts-expect-error plain ESM helper without types
import { pythonToolPath } from '../../scripts/install/python-tools.mjs';
import { parseFleetConfig } from './config/fleet-config.ts';
import { parseStackConfig } from './config/stack-config.ts';
import { synthesize } from './lifecycle/synth.ts';
import { fleet, withCertificate, withoutCertificate } from './testing/fixtures.ts';

interface Suppression {
  check: string;
  resource: string;
  where?: string;
  reason: string;
}
interface Finding {
  check_id: string;
  resource: string;
  file_path: string;
  check_name: string;
}

const suppressions: Suppression[] = JSON.parse(
  fs.readFileSync(new URL('./checkov-suppressions.json', import.meta.url), 'utf8'),
).suppressions;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-checkov-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function runCheckov(): Promise<Finding[]> {
  synthesize(
    { store: parseStackConfig(withCertificate), fleet: parseFleetConfig(fleet) },
    path.join(dir, 'with-certificate'),
  );
  synthesize({ store: parseStackConfig(withoutCertificate) }, path.join(dir, 'http-only'));
  const checkov = pythonToolPath('checkov') as string;
  assert.ok(
    fs.existsSync(checkov),
    `${checkov} missing: run "npm test" once (it installs checkov) or node scripts/bootstrap.mjs install`,
  );
  // --skip-download: no calls home (tests only reach 127.0.0.1). Exit code 1 just means "findings".
  const { stdout } = await promisify(execFile)(
    checkov,
    ['-d', dir, '--framework', 'terraform_json', '-o', 'json', '--quiet', '--skip-download'],
    {
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, LOG_LEVEL: 'ERROR' },
    },
  ).catch((e: { stdout?: string; stderr?: string; code?: number }) => {
    if (e.code === 1 && e.stdout) return { stdout: e.stdout };
    throw new Error(`checkov failed (exit ${e.code}): ${e.stderr?.slice(-2000)}`);
  });
  const report = JSON.parse(stdout);
  const results = (Array.isArray(report) ? report : [report]).filter((r) => r.check_type === 'terraform_json');
  assert.equal(results.length, 1, 'checkov scanned the terraform_json framework');
  assert.equal(results[0].summary.parsing_errors, 0);
  assert.ok(
    results[0].summary.passed > 300,
    `only ${results[0].summary.passed} checks passed: did checkov read the synth?`,
  );
  return results[0].results.failed_checks;
}

const matches = (s: Suppression, f: Finding) =>
  s.check === f.check_id &&
  new RegExp(s.resource).test(f.resource) &&
  (!s.where || new RegExp(s.where).test(f.file_path));

test(
  'every checkov finding is fixed or suppressed with a reason, and no suppression is stale',
  { timeout: 120_000 },
  async () => {
    for (const s of suppressions) assert.ok(s.reason.length > 20, `suppression ${s.check} needs a real reason`);
    // A ratchet: 17 before issue 16, 15 after (CKV_AWS_31: Redis RBAC). Fix a finding rather than excuse a new one.
    assert.ok(suppressions.length <= 15, `${suppressions.length} suppressions: fix findings instead of adding excuses`);
    const findings = await runCheckov();
    const unexplained = findings.filter((f) => !suppressions.some((s) => matches(s, f)));
    assert.deepEqual(
      unexplained.map((f) => `${f.check_id} ${f.resource} in ${f.file_path}: ${f.check_name}`),
      [],
      'fix these in the stack, or add them to infra/aws/checkov-suppressions.json with a reason',
    );
    const stale = suppressions.filter((s) => !findings.some((f) => matches(s, f)));
    assert.deepEqual(
      stale.map((s) => `${s.check} ${s.resource}`),
      [],
      'these suppressions match nothing any more: remove them',
    );
  },
);
