// `--store <dir|s3://bucket/prefix>` → a BlobStore.
import { resolve } from 'node:path';
import type { BlobStore } from './blob-store.ts';
import { DirStore } from './dir-store.ts';
import { S3Store } from './s3-store.ts';

export function openStore(spec: string): BlobStore {
  if (spec.startsWith('s3://')) return new S3Store(spec);
  return new DirStore(resolve(spec));
}
