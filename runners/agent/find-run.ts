// Which run an agent joins. A run's own store has manifest.json at its root (local agents, or
// `rehearse agent --store` pointed at one run). A fleet store holds many runs and a
// current-run.json naming the one to join; fleet runners start on it, often before the controller
// has written anything there, so they may wait a bounded time for either to appear.
import { getIfListed, type BlobStore } from '../store/blob-store.ts';
import { PrefixedStore } from '../store/prefixed-store.ts';
import {
  CurrentRunSchema,
  KEYS,
  ManifestSchema,
  parseStoreJson,
  type RunManifest,
} from '../distributed/run-manifest.ts';
import { AgentError } from './agent-error.ts';

export interface FoundRun {
  /** The run's own store: plan.json, manifest.json, claims/ and runners/ are at its root. */
  store: BlobStore;
  manifest: RunManifest;
}

export interface FindRunOptions {
  /** How long to wait for a manifest or a pointer to appear (default 0: look once). */
  waitMs?: number;
  /** How often to look while waiting (default 5 s: a fleet of runners polling S3 stays cheap). */
  pollMs?: number;
  signal?: AbortSignal;
  log: (line: string) => void;
}

/** What an agent logs once it is up and looking for its run: local-agents.ts waits for it in each log. */
export const WAITING_FOR_RUN = 'waiting for the controller';

const slash = (where: string) => (where.endsWith('/') ? where : `${where}/`);

function parse<T>(schema: Parameters<typeof parseStoreJson<T>>[0], body: Buffer, where: string): T {
  try {
    return parseStoreJson(schema, body, where);
  } catch (e) {
    throw new AgentError((e as Error).message);
  }
}

/** One look: the run at the root, the run the pointer names, or null when neither is there yet. */
async function look(root: BlobStore): Promise<FoundRun | null> {
  const own = await getIfListed(root, KEYS.manifest);
  if (own !== null)
    return { store: root, manifest: parse(ManifestSchema, own, `${slash(root.where)}${KEYS.manifest}`) };
  const pointerBody = await getIfListed(root, KEYS.currentRun);
  if (pointerBody === null) return null;
  const pointer = parse(CurrentRunSchema, pointerBody, `${slash(root.where)}${KEYS.currentRun}`);
  const store = new PrefixedStore(root, pointer.prefix);
  // The controller writes the run's manifest before the pointer; none means a damaged run.
  const body = await getIfListed(store, KEYS.manifest);
  if (body === null)
    throw new AgentError(
      `${slash(root.where)}${KEYS.currentRun} points at run ${pointer.runId} in ${store.where}, which has no ${KEYS.manifest}: start the run again (the controller writes both)`,
    );
  const manifest = parse(ManifestSchema, body, `${store.where}${KEYS.manifest}`);
  if (manifest.runId !== pointer.runId)
    throw new AgentError(
      `${store.where}${KEYS.manifest} is run ${manifest.runId}, but ${KEYS.currentRun} names ${pointer.runId}: start the run again`,
    );
  return { store, manifest };
}

/** Waits ms, or less when the signal aborts (resolves either way: the caller checks the signal). */
export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((done) => {
    const t = setTimeout(done, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        done();
      },
      { once: true },
    );
  });

export async function findRun(root: BlobStore, o: FindRunOptions): Promise<FoundRun> {
  const deadline = Date.now() + (o.waitMs ?? 0);
  let said = false;
  for (;;) {
    const found = await look(root);
    if (found) return found;
    if (o.signal?.aborted || Date.now() >= deadline) break;
    if (!said)
      o.log(
        `agent: no run in ${root.where} yet; ${WAITING_FOR_RUN} (up to ${Math.round((deadline - Date.now()) / 1000)} s)`,
      );
    said = true;
    await sleep(Math.min(o.pollMs ?? 5000, Math.max(0, deadline - Date.now())), o.signal);
  }
  const waited = o.waitMs ? ` (waited ${Math.round(o.waitMs / 1000)} s)` : '';
  throw new AgentError(
    `${root.where}: no ${KEYS.manifest}; start the run with \`rehearse run --runners N\` (the controller writes it beside plan.json, or a ${KEYS.currentRun} naming the run in a fleet store), or check --store${waited}`,
  );
}
