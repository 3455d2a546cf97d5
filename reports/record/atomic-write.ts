// Write-then-rename, so a reader (or a crash) never sees half a record or report: the temp file
// lives in the target's directory (rename is only atomic within one file system) and is fsynced
// before the rename, and the directory after it.

import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  let fh;
  try {
    fh = await open(tmp, 'w', 0o644);
    await fh.writeFile(data);
    await fh.sync();
    await fh.close();
    fh = undefined;
    await rename(tmp, path);
  } catch (e) {
    await fh?.close().catch(() => {});
    await rm(tmp, { force: true }).catch(() => {});
    throw new Error(`${path}: could not write (${(e as Error).message}); check the directory exists and is writable`);
  }
  // Persist the rename itself; some platforms cannot fsync a directory, which is harmless.
  const d = await open(dir, 'r').catch(() => undefined);
  await d?.sync().catch(() => {});
  await d?.close();
}
