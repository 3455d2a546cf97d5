// The blob store runners and the controller share (docs/architecture.md, "Distribution is k6's own"): a
// directory locally, S3 on AWS. Keys are "/"-separated paths relative to the store's root.
// Every put is atomic (a reader sees the whole object or none); putIfAbsent is the one
// conditional write, used to claim a segment: first writer wins.
import { RunError } from '../../errors/errors.ts';

export interface BlobStore {
  /** Where it is, for messages: a directory path or s3://bucket/prefix. */
  readonly where: string;
  /** The object's bytes, or null when there is none. */
  get(key: string): Promise<Buffer | null>;
  /** Writes the whole object, replacing any old one. */
  put(key: string, body: Buffer | string): Promise<void>;
  /** Writes the object only if none exists: true if this call created it, false if one was there. */
  putIfAbsent(key: string, body: Buffer | string): Promise<boolean>;
  /** Keys under a prefix (e.g. a runner's folder, "runners/<name>/"), sorted. */
  list(prefix: string): Promise<string[]>;
}

/** The store refused or failed an operation; the message names the store, the key and what to do. */
export class StoreError extends RunError {}

// ":" for fleet runners' names ("<role id>:<instance id>", runners/distributed/run-manifest.ts).
const KEY = /^[A-Za-z0-9._:-]+(\/[A-Za-z0-9._:-]+)*$/;

/** Keys are plain relative paths: no "..", no leading "/", so a directory store cannot escape its root. */
export function checkKey(key: string): string {
  if (!KEY.test(key) || key.split('/').some((p) => p === '.' || p === '..')) {
    throw new StoreError(
      `blob key "${key}" is not a plain relative path (letters, digits, ".", "_", ":", "-" between "/")`,
    );
  }
  return key;
}

/**
 * get() of a key that may not exist yet, by listing first. A fleet runner may list its run's
 * prefix but S3 answers its GET of a missing key with 403 (not 404) unless the role could list
 * the whole bucket; listing keeps the runner's IAM to its prefix and "not there" a null.
 */
export async function getIfListed(store: BlobStore, key: string): Promise<Buffer | null> {
  return (await store.list(key)).includes(key) ? store.get(key) : null;
}
