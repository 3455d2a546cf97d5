import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { cpuSummary, cpuTicks, watchCpu } from './k6-cpu.ts';

test('CPU ticks come from utime + stime, even when the command name holds spaces and parentheses', () => {
  const stat = '4242 (k6 (x) y) S 1 4242 4242 0 -1 4194304 1500 0 0 0 730 270 0 0 20 0 12 0 100 0 0';
  assert.equal(cpuTicks(stat), 1000);
  assert.equal(cpuTicks('garbage'), null);
});

test('the peak is the busiest 5 s window, in cores; the mean is over the whole run', () => {
  // 20 s sampled each second: idle (10 ticks/s = 0.1 core) except 5 s at 95 ticks/s.
  const samples = [];
  let ticks = 0;
  for (let s = 0; s <= 20; s++) {
    samples.push({ ms: s * 1000, ticks });
    ticks += s >= 8 && s < 13 ? 95 : 10;
  }
  const c = cpuSummary(samples)!;
  assert.equal(c.peak, 0.95);
  assert.ok(c.mean > 0.1 && c.mean < 0.35, String(c.mean));
  assert.equal(cpuSummary([{ ms: 0, ticks: 0 }]), null, 'one sample measures nothing');
  assert.equal(
    cpuSummary([
      { ms: 0, ticks: 0 },
      { ms: 2000, ticks: 180 },
    ])!.peak,
    0.9,
    'a run shorter than the window: its whole span',
  );
});

test(
  'watchCpu measures what a busy process says it used, and an idle one as near zero',
  { timeout: 20_000 },
  async () => {
    // The busy process reports its own CPU time: on a shared box a spinning process gets anything
    // from a third of a core to a whole one, so that, not "one core", is what the watch must match.
    const spin =
      'const t0 = Date.now(); while (Date.now() < t0 + 6000); const u = process.cpuUsage();' +
      'console.log(JSON.stringify({ cpuS: (u.user + u.system) / 1e6, wallS: (Date.now() - t0) / 1000 }));';
    const busy = spawn(process.execPath, ['-e', spin], { stdio: ['ignore', 'pipe', 'ignore'] });
    let said = '';
    busy.stdout.on('data', (c: Buffer) => (said += c.toString()));
    const exited = new Promise((r) => busy.once('close', r));
    const idle = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 6000)'], { stdio: 'ignore' });
    const wb = watchCpu(busy.pid, 250);
    const wi = watchCpu(idle.pid, 250);
    await new Promise((r) => setTimeout(r, 5600));
    const [b, i] = [await wb.stop(), await wi.stop()];
    idle.kill();
    await exited;
    const own = JSON.parse(said) as { cpuS: number; wallS: number };
    const cores = own.cpuS / own.wallS;
    assert.ok(cores > 0.1, `the spinning process got only ${cores.toFixed(2)} of a core: too busy a box to tell`);
    assert.ok(
      b.cpu && Math.abs(b.cpu.mean - cores) <= 0.1 + 0.25 * cores,
      `watched ${JSON.stringify(b.cpu)}, the process says ${cores.toFixed(2)} cores`,
    );
    assert.ok(b.cpu.peak >= b.cpu.mean - 0.01, JSON.stringify(b));
    assert.ok(i.cpu && i.cpu.peak < 0.2, JSON.stringify(i));
  },
);
