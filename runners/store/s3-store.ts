// A blob store in S3 (AWS SDK v3). putIfAbsent is PutObject with If-None-Match: "*": S3 answers
// 412 when the key exists, atomically, so exactly one of several racing writers wins.
// Credentials come from the SDK's default chain (environment, profile, instance role), never
// from this code or its messages.

import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { checkKey, StoreError, type BlobStore } from './blob-store.ts';

export interface S3Location {
  bucket: string;
  /** Key prefix, "" or ending in "/". */
  prefix: string;
}

/** "s3://bucket/some/prefix" → { bucket, prefix: "some/prefix/" }. Pure. */
export function parseS3Url(url: string): S3Location {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (!m) throw new StoreError(`store "${url}" is not an S3 URL: use s3://bucket or s3://bucket/prefix`);
  const prefix = (m[2] ?? '').replace(/^\/+|\/+$/g, '');
  return { bucket: m[1], prefix: prefix ? `${prefix}/` : '' };
}

const status = (e: unknown) => (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
const errName = (e: unknown) => (e as Error).name ?? 'Error';

export class S3Store implements BlobStore {
  readonly where: string;
  private readonly loc: S3Location;

  constructor(
    url: string,
    private readonly client: S3Client = new S3Client({}),
  ) {
    this.loc = parseS3Url(url);
    this.where = `s3://${this.loc.bucket}/${this.loc.prefix}`;
  }

  static withConfig(url: string, config: S3ClientConfig): S3Store {
    return new S3Store(url, new S3Client(config));
  }

  private key(key: string): string {
    return this.loc.prefix + checkKey(key);
  }

  private fail(op: string, key: string, e: unknown): never {
    throw new StoreError(
      `store ${this.where}: cannot ${op} ${key} (${errName(e)}${status(e) ? ` HTTP ${status(e)}` : ''}); check the bucket exists, the region, and that this role may s3:GetObject/PutObject/ListBucket on it`,
    );
  }

  async get(key: string): Promise<Buffer | null> {
    const k = this.key(key);
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.loc.bucket, Key: k }));
      return Buffer.from(await r.Body!.transformToByteArray());
    } catch (e) {
      if (errName(e) === 'NoSuchKey' || status(e) === 404) return null;
      this.fail('read', key, e);
    }
  }

  async put(key: string, body: Buffer | string): Promise<void> {
    const k = this.key(key);
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.loc.bucket, Key: k, Body: body }));
    } catch (e) {
      this.fail('write', key, e);
    }
  }

  async putIfAbsent(key: string, body: Buffer | string): Promise<boolean> {
    const k = this.key(key);
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.loc.bucket, Key: k, Body: body, IfNoneMatch: '*' }));
      return true;
    } catch (e) {
      // 412: the key exists. 409 ConditionalRequestConflict: a racing conditional write to the
      // same key is in flight; S3 lets exactly one of them win, so this one lost.
      if (status(e) === 412 || status(e) === 409) return false;
      this.fail('write', key, e);
    }
  }

  async list(prefix: string): Promise<string[]> {
    const out: string[] = [];
    let token: string | undefined;
    try {
      do {
        const r = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.loc.bucket,
            Prefix: this.loc.prefix + prefix,
            ContinuationToken: token,
          }),
        );
        for (const o of r.Contents ?? []) if (o.Key) out.push(o.Key.slice(this.loc.prefix.length));
        token = r.IsTruncated ? r.NextContinuationToken : undefined;
      } while (token);
    } catch (e) {
      this.fail('list', prefix, e);
    }
    return out.sort();
  }
}
