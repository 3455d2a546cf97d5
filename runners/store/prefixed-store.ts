// A blob store seen through a sub-prefix of another: one fleet store (s3://bucket/runs/<rehearsal
// id>) holds many runs, each under its own "<plan id>/", and the controller and the agents of a
// run read and write only there, with the same keys as a store of its own.
import { checkKey, StoreError, type BlobStore } from './blob-store.ts';

export class PrefixedStore implements BlobStore {
  readonly where: string;

  /** prefix: one or more key segments ending in "/", e.g. "20261125-bf/". */
  constructor(
    private readonly inner: BlobStore,
    private readonly prefix: string,
  ) {
    if (!prefix.endsWith('/') || checkKey(prefix.slice(0, -1)) === '')
      throw new StoreError(`store prefix "${prefix}" must be key segments ending in "/"`);
    this.where = `${inner.where}${inner.where.endsWith('/') ? '' : '/'}${prefix}`;
  }

  get(key: string): Promise<Buffer | null> {
    return this.inner.get(this.prefix + checkKey(key));
  }

  put(key: string, body: Buffer | string): Promise<void> {
    return this.inner.put(this.prefix + checkKey(key), body);
  }

  putIfAbsent(key: string, body: Buffer | string): Promise<boolean> {
    return this.inner.putIfAbsent(this.prefix + checkKey(key), body);
  }

  async list(prefix: string): Promise<string[]> {
    return (await this.inner.list(this.prefix + prefix)).map((k) => k.slice(this.prefix.length));
  }
}
