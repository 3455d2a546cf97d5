// Starts moto's AWS emulator on 127.0.0.1 for a test, and stops exactly that process.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
// @ts-expect-error plain ESM helper without types
import { pythonToolPath } from '../../../scripts/install/python-tools.mjs';
import { saveEnv } from '../../../test-support/env.ts';

/** moto accepts any credentials; these dummies keep the SDK from looking for real ones. */
export const MOTO_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export interface MotoServer {
  endpoint: string;
  /** An S3 client config for this server (us-east-1, path-style URLs: no bucket DNS on 127.0.0.1). */
  s3: { endpoint: string; region: string; forcePathStyle: boolean; credentials: typeof MOTO_CREDENTIALS };
  stop(): Promise<void>;
}

export async function startMoto(timeoutMs = 30_000): Promise<MotoServer> {
  const bin = pythonToolPath('moto') as string;
  if (!fs.existsSync(bin))
    throw new Error(`${bin} missing: run "npm test" once (it installs moto) or node scripts/bootstrap.mjs install`);
  // moto's own CLI entry, patched to serve one request at a time. Threaded, its S3 checks
  // If-None-Match and then writes without a lock, so on a busy box two of eight racing claims both
  // won; real S3 decides conditional writes atomically. Serial, the race tests test our client.
  const serial = [
    'import sys, moto.server as s',
    'run = s.run_simple',
    "s.run_simple = lambda *a, **k: run(*a, **{**k, 'threaded': False})",
    's.main(sys.argv[1:])',
  ].join('\n');
  const python = path.join(path.dirname(bin), 'python');
  // Port 0: the server binds a free port itself and names it ("Running on http://127.0.0.1:N").
  // A port chosen here and handed over could be taken in between, by a neighbour's socket or a
  // second moto, and the test would then talk to that.
  const child: ChildProcess = spawn(python, ['-c', serial, '-H', '127.0.0.1', '-p', '0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}) before answering:\n${stderr}`);
    const port = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr)?.[1];
    const endpoint = port ? `http://127.0.0.1:${port}` : null;
    if (endpoint)
      try {
        const res = await fetch(`${endpoint}/moto-api/`);
        await res.arrayBuffer();
        if (res.ok)
          return {
            endpoint,
            s3: { endpoint, region: 'us-east-1', forcePathStyle: true, credentials: MOTO_CREDENTIALS },
            stop,
          };
      } catch {
        // not listening yet
      }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `moto_server did not answer on ${endpoint ?? 'the port it should have named'} within ${timeoutMs} ms:\n${stderr}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Puts moto's dummy credentials in process.env (the SDK's default chain then never finds a real
 * profile) and returns the undo, for a test file's before()/after().
 */
export function useMotoCredentials(extra: Record<string, string> = {}): () => void {
  const restoreEnv = saveEnv();
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
    ...extra,
  });
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  return restoreEnv;
}
