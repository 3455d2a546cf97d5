import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { resolveLayout } from './layout.ts';
import {
  customerPasswordEnv,
  customerPasswordFile,
  DROP_INS,
  ensureCustomerPassword,
  isInstalled,
  MU_PLUGINS,
  seedFingerprint,
  STORE_INCLUDES,
} from './wordpress.ts';
import { FIXTURE_SRC } from './layout.ts';

test("the customers' password: made once, 0600 in the state dir, handed to k6 only through the environment", () => {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-wp-'));
  try {
    assert.deepEqual(customerPasswordEnv({}, stateDir), {}, 'none before install');
    const layout = resolveLayout({ stateDir });
    const made = ensureCustomerPassword(layout);
    assert.ok(made.length >= 20);
    assert.equal(ensureCustomerPassword(layout), made, 'stable across calls');
    assert.equal(fs.statSync(customerPasswordFile(stateDir)).mode & 0o777, 0o600);
    assert.deepEqual(customerPasswordEnv({}, stateDir), { REHEARSE_CUSTOMER_PASSWORD: made });
    assert.deepEqual(
      customerPasswordEnv({ REHEARSE_CUSTOMER_PASSWORD: 'set-by-user' }, stateDir),
      { REHEARSE_CUSTOMER_PASSWORD: 'set-by-user' },
      'the environment wins (--target url)',
    );
  } finally {
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
});

test('every PHP file the install copies exists in the fixture source', () => {
  for (const f of [...MU_PLUGINS, ...STORE_INCLUDES, ...DROP_INS])
    assert.ok(fs.existsSync(path.join(FIXTURE_SRC, f)), f);
});

test('a state seeded by other fixture sources counts as not installed, so up() seeds it again', () => {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-wp-'));
  try {
    const layout = resolveLayout({ stateDir });
    fs.mkdirSync(path.dirname(layout.wordpress.installedMarker), { recursive: true });
    fs.writeFileSync(layout.catalogue, '{}');
    fs.writeFileSync(
      layout.wordpress.installedMarker,
      JSON.stringify({ installedAt: '2026-11-01T00:00:00Z', seed: seedFingerprint() }),
    );
    assert.equal(isInstalled(layout), true);
    fs.writeFileSync(
      layout.wordpress.installedMarker,
      JSON.stringify({ installedAt: '2026-11-01T00:00:00Z', seed: 'older-seed' }),
    );
    assert.equal(isInstalled(layout), false);
    fs.writeFileSync(layout.wordpress.installedMarker, JSON.stringify({ installedAt: '2026-11-01T00:00:00Z' }));
    assert.equal(isInstalled(layout), false, 'a marker from before fingerprints');
  } finally {
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
});
