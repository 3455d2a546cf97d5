// When an agent stops early: on its own signal (Ctrl-C, the local controller's SIGINT, systemd's
// SIGTERM), or when the controller writes stop.json to the run's store. A fleet runner is on
// another machine: the controller cannot signal it, and terminating it would lose the samples
// since its last chunk, so the controller asks through the store and the agent looks every chunk.
import { getIfListed, type BlobStore } from '../store/blob-store.ts';
import { KEYS } from '../distributed/run-manifest.ts';

export interface StopWatch {
  signal: AbortSignal;
  /** The stop came from stop.json (the agent must signal its k6 itself). */
  byController: () => boolean;
  close: () => void;
}

export function watchStop(o: {
  store: BlobStore;
  own?: AbortSignal;
  everyMs: number;
  log: (l: string) => void;
  runner: string;
}): StopWatch {
  const stop = new AbortController();
  let byController = false;
  const onOwn = () => stop.abort();
  if (o.own?.aborted) stop.abort();
  o.own?.addEventListener('abort', onOwn, { once: true });
  let looking = false;
  const timer = setInterval(() => {
    if (looking || stop.signal.aborted) return;
    looking = true;
    // A store that fails a read now is asked again next time: a stop must not fail the run.
    getIfListed(o.store, KEYS.stop)
      .then(
        (body) => {
          if (body === null || stop.signal.aborted) return;
          byController = true;
          o.log(
            `runner ${o.runner}: the controller asked every runner to stop (${KEYS.stop}); stopping k6 and uploading what it measured`,
          );
          stop.abort();
        },
        () => {},
      )
      .finally(() => (looking = false));
  }, o.everyMs);
  return {
    signal: stop.signal,
    byController: () => byController,
    close: () => {
      clearInterval(timer);
      o.own?.removeEventListener('abort', onOwn);
    },
  };
}
