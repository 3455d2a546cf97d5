// Waiting for components to become usable, and failing with an error that says which log to read.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { RunError } from '../../errors/errors.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function logTail(file: string, lines = 20): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.split('\n').filter(Boolean).slice(-lines).join('\n');
  } catch {
    return '(log file missing)';
  }
}

export class ComponentError extends RunError {
  constructor(component: string, problem: string, logFile: string) {
    super(`${component}: ${problem}. Read ${logFile}; its last lines:\n${logTail(logFile)}`);
  }
}

export interface WaitSpec {
  component: string;
  what: string; // e.g. "socket /x/y accepting connections"
  logFile: string;
  timeoutMs: number;
  check: () => Promise<boolean>;
  stillRunning?: () => boolean; // fail at once if the process has died
}

export async function waitFor(spec: WaitSpec): Promise<void> {
  const deadline = Date.now() + spec.timeoutMs;
  for (let delay = 20; ; delay = Math.min(delay * 1.5, 250)) {
    if (await spec.check().catch(() => false)) return;
    if (spec.stillRunning && !spec.stillRunning()) {
      throw new ComponentError(spec.component, `exited before ${spec.what}`, spec.logFile);
    }
    if (Date.now() > deadline) {
      throw new ComponentError(
        spec.component,
        `not ready after ${spec.timeoutMs / 1000} s (waiting for ${spec.what})`,
        spec.logFile,
      );
    }
    await sleep(delay);
  }
}

/** True once something accepts a connection (unix socket path, or 127.0.0.1 TCP port). */
export function canConnect(target: string | number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const sock =
      typeof target === 'number' ? net.connect({ host: '127.0.0.1', port: target }) : net.connect({ path: target });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

/** Sends one line-oriented command over a unix socket and returns everything until close. */
export function unixRequest(socketPath: string, payload: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ path: socketPath });
    let out = '';
    sock.setEncoding('utf8');
    sock.setTimeout(timeoutMs, () => {
      sock.destroy();
      reject(new Error(`no answer from ${socketPath} within ${timeoutMs} ms`));
    });
    sock.once('connect', () => sock.write(payload));
    sock.on('data', (d: string) => (out += d));
    sock.once('end', () => resolve(out));
    sock.once('error', reject);
  });
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One GET without keep-alive, so no socket outlives the call. */
export function httpGet(url: string, timeoutMs = 5000): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, headers: { Connection: 'close' }, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}
