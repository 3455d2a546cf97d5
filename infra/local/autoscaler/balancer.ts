// Registering and deregistering an instance with HAProxy at runtime, in the order HAProxy 2.6
// needs (shared/notes pitfall 7): add (starts in maintenance) → enable health → wait for L7OK →
// enable server; drain → wait for no sessions (or a timeout) → maintenance → del server.
import { BACKEND, serverOptions } from '../haproxy-config.ts';
import { haproxyCommand, serverStats } from '../haproxy.ts';
import type { InstanceLayout, Layout } from '../layout.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function command(
  layout: Layout,
  cmd: string,
  okIf: RegExp = /^\s*$|New server registered|Server deleted/,
): Promise<string> {
  const answer = await haproxyCommand(layout, cmd);
  if (!okIf.test(answer.trim())) throw new Error(`haproxy runtime API: "${cmd}" answered "${answer.trim()}"`);
  return answer;
}

export async function register(layout: Layout, il: InstanceLayout, timeoutMs = 15_000): Promise<void> {
  const server = `${BACKEND}/${il.name}`;
  const present = (await serverStats(layout)).some((s) => s.name === il.name);
  // `add server` does not inherit default-server: send the very options of the config file.
  if (!present) await command(layout, `add server ${server} 127.0.0.1:${il.port} ${serverOptions()}`);
  await command(layout, `enable health ${server}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const st = (await serverStats(layout)).find((s) => s.name === il.name);
    if (st?.check === 'L7OK') break;
    if (Date.now() > deadline)
      throw new Error(
        `${il.name}: health check not L7OK after ${timeoutMs / 1000} s (last: ${st?.check ?? 'no server'})`,
      );
    await sleep(200);
  }
  await command(layout, `enable server ${server}`);
}

/** Stops new requests to the server and waits for its in-flight ones (at most timeoutMs). */
export async function drain(
  layout: Layout,
  name: string,
  timeoutMs: number,
): Promise<{ drained: boolean; waitedMs: number }> {
  const t0 = Date.now();
  await command(layout, `set server ${BACKEND}/${name} state drain`);
  for (;;) {
    const st = (await serverStats(layout)).find((s) => s.name === name);
    if (!st || st.currentSessions === 0) return { drained: true, waitedMs: Date.now() - t0 };
    if (Date.now() - t0 > timeoutMs) return { drained: false, waitedMs: Date.now() - t0 };
    await sleep(200);
  }
}

export async function toMaintenance(layout: Layout, name: string): Promise<void> {
  await command(layout, `set server ${BACKEND}/${name} state maint`);
}

/** Deletes the server once it is in maintenance and has no connections left (retries until then). */
export async function deregister(layout: Layout, name: string, timeoutMs = 10_000): Promise<void> {
  const server = `${BACKEND}/${name}`;
  if (!(await serverStats(layout)).some((s) => s.name === name)) return;
  await toMaintenance(layout, name);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!(await serverStats(layout)).some((s) => s.name === name)) return;
    await haproxyCommand(layout, `shutdown sessions server ${server}`);
    const answer = (await haproxyCommand(layout, `del server ${server}`)).trim();
    if (/Server deleted/.test(answer)) return;
    if (Date.now() > deadline)
      throw new Error(`haproxy runtime API: "del server ${server}" kept answering "${answer}"`);
    await sleep(250);
  }
}
