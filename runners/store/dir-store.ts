// A blob store in a local directory: puts are temp file + rename (atomic on one file system);
// putIfAbsent writes a temp file and link()s it to the key, which fails with EEXIST if the key
// exists, so exactly one of several racing writers wins and nobody sees half an object.

import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { checkKey, StoreError, type BlobStore } from './blob-store.ts';

const TMP = '.tmp-';

export class DirStore implements BlobStore {
  constructor(readonly where: string) {}

  private path(key: string): string {
    return join(this.where, ...checkKey(key).split('/'));
  }

  private fail(op: string, key: string, e: unknown): never {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new StoreError(
      `store ${this.where}: cannot ${op} ${key} (${code}); check the directory exists, is writable and has free space`,
    );
  }

  async get(key: string): Promise<Buffer | null> {
    const path = this.path(key);
    try {
      return await readFile(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      this.fail('read', key, e);
    }
  }

  /** Writes body to a fsynced temp file beside the key's path and returns that temp path. */
  private async temp(path: string, body: Buffer | string): Promise<string> {
    await mkdir(dirname(path), { recursive: true });
    const tmp = join(dirname(path), `${TMP}${process.pid}-${randomBytes(6).toString('hex')}`);
    const fh = await open(tmp, 'wx', 0o644);
    try {
      await fh.writeFile(body);
      await fh.sync();
    } finally {
      await fh.close();
    }
    return tmp;
  }

  async put(key: string, body: Buffer | string): Promise<void> {
    const path = this.path(key);
    let tmp: string | undefined;
    try {
      tmp = await this.temp(path, body);
      await rename(tmp, path);
    } catch (e) {
      if (tmp) await rm(tmp, { force: true }).catch(() => {});
      this.fail('write', key, e);
    }
  }

  async putIfAbsent(key: string, body: Buffer | string): Promise<boolean> {
    const path = this.path(key);
    let tmp: string | undefined;
    let linking = false;
    try {
      tmp = await this.temp(path, body);
      linking = true;
      await link(tmp, path);
      return true;
    } catch (e) {
      // Only link()'s EEXIST means "the key exists"; mkdir's means a file is in the way.
      if (linking && (e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      return this.fail('write', key, e);
    } finally {
      if (tmp) await rm(tmp, { force: true }).catch(() => {});
    }
  }

  async list(prefix: string): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
        this.fail('list', prefix, e);
      }
      for (const e of entries) {
        if (e.name.startsWith(TMP)) continue;
        const p = join(dir, e.name);
        const rel = relative(this.where, p).split(sep).join('/');
        // Only into directories that can hold a match: a key at the root must not walk every chunk.
        if (e.isDirectory()) {
          if (`${rel}/`.startsWith(prefix) || prefix.startsWith(`${rel}/`)) await walk(p);
        } else out.push(rel);
      }
    };
    // Walk only the directory the prefix names, then filter by the rest of it.
    const cut = prefix.lastIndexOf('/');
    await walk(cut < 0 ? this.where : join(this.where, ...prefix.slice(0, cut).split('/')));
    return out.filter((k) => k.startsWith(prefix)).sort();
  }
}
