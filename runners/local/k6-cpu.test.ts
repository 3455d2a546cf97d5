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
  'watchCpu measures a busy process as near one core and an idle one as near zero',
  { timeout: 20_000 },
  async () => {
    const busy = spawn(process.execPath, ['-e', 'const end = Date.now() + 6000; while (Date.now() < end);'], {
      stdio: 'ignore',
    });
    const idle = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 6000)'], { stdio: 'ignore' });
    const wb = watchCpu(busy.pid, 250);
    const wi = watchCpu(idle.pid, 250);
    await new Promise((r) => setTimeout(r, 5600));
    const [b, i] = [await wb.stop(), await wi.stop()];
    busy.kill();
    idle.kill();
    // The box is shared: a spinning process gets well over a third of a core, an idle one almost none.
    assert.ok(b.cpu && b.cpu.peak > 0.35, JSON.stringify(b));
    assert.ok(i.cpu && i.cpu.peak < 0.2, JSON.stringify(i));
  },
);
