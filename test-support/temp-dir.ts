// Temp directories for tests, removed when the test file's process exits. `node --test` runs each
// test file in its own process, so exit comes after every test and every after hook: a directory
// can hold data of processes a file starts (a replica's state) as long as its after hook stops them.
// A process killed by a signal (Ctrl-C, SIGKILL) runs no exit handlers and leaves its directories.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made = new Set<string>();
let hooked = false;

function removeAll(): void {
  for (const dir of made) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch (e) {
      // An exit handler must not throw: say what stays behind and carry on.
      process.stderr.write(`# temp-dir: could not remove ${dir}: ${(e as Error).message}\n`);
    }
  }
  made.clear();
}

/** A new directory $TMPDIR/<prefix>XXXXXX, removed with its contents when this process exits. */
export function tempDir(prefix: string): string {
  if (!hooked) {
    // 'exit' handlers must be synchronous, hence mkdtempSync/rmSync.
    process.on('exit', removeAll);
    hooked = true;
  }
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.add(dir);
  return dir;
}
