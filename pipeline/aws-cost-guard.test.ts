import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseInfraConfig } from '../infra/aws/app.ts';
import { fleet, withoutCertificate } from '../infra/aws/testing/fixtures.ts';
import { estimateAwsRehearsal } from './aws-cost-guard.ts';

const infra = parseInfraConfig({ store: withoutCertificate, fleet });
const run = { durationSeconds: 600, expectedRequests: 60_000 };

test('the fleet is priced for the runners a run asks for, over boot, load and wind-down', async () => {
  const none = await estimateAwsRehearsal(infra, { ...run, runners: 1 });
  assert.equal(none.runners, 0, 'one runner is k6 on this machine: no fleet machine');
  const four = await estimateAwsRehearsal(infra, { ...run, runners: 4, fleetBootSeconds: 360 });
  const eight = await estimateAwsRehearsal(infra, { ...run, runners: 8, fleetBootSeconds: 360 });
  assert.ok(four.runners > 0);
  assert.ok(Math.abs(eight.runners / four.runners - 2) < 1e-9, 'twice the runners, twice the price');
  assert.ok(
    four.assumptions.some((a) => /each of the 4 runners is billed 19 min/.test(a)),
    four.assumptions.join(' | '),
  );
  const longerBoot = await estimateAwsRehearsal(infra, { ...run, runners: 4, fleetBootSeconds: 960 });
  assert.ok(longerBoot.runners > four.runners, 'a longer boot budget is billed too');
});
