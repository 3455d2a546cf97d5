// rehearse agent --store <dir|s3://bucket/prefix>: one runner of a distributed run (docs/architecture.md,
// "Distribution is k6's own"). It claims a segment, runs k6 on it, streams samples to the store.
// On the AWS fleet, systemd starts it on the rehearsal's store with --wait-for-run
// (infra/aws/fleet/runner-user-data.ts); it joins the run current-run.json names.
import { runAgent } from '../../runners/agent/run-agent.ts';
import { openStore } from '../../runners/store/open-store.ts';
import { EXIT } from '../../errors/errors.ts';
import { log, newCommand, parsePositive, out, setExitCode } from './command.ts';

export function agentCommand() {
  return newCommand('agent')
    .description(
      'run one segment of a distributed run: read plan + manifest from a blob store, claim a segment, run k6 on it, upload its samples in chunks',
    )
    .requiredOption(
      '--store <dir|s3://bucket/prefix>',
      "the run's blob store (the controller, `rehearse run --runners N`, writes plan.json and manifest.json there)",
    )
    .option('--runner-name <name>', "this runner's name (names its directory under raw/); default <hostname>-<pid>")
    .option(
      '--wait-for-run <seconds>',
      "wait this long for a run (manifest.json, or a fleet store's current-run.json) to appear in the store; default: look once",
      parsePositive('--wait-for-run'),
    )
    .option(
      '--poll-every <seconds>',
      'while waiting for a run, look this often (default 5; the controller of local agents passes 0.2)',
      parsePositive('--poll-every'),
    )
    .action(async (flags: { store: string; runnerName?: string; waitForRun?: number; pollEvery?: number }) => {
      const abort = new AbortController();
      let bySignal = false;
      const onSignal = () => {
        // A terminal Ctrl-C or the controller's group signal reached k6 too: do not send a second
        // SIGINT, which would make k6 quit without its summary.
        bySignal = true;
        log('agent: stopping k6 and uploading what it measured');
        abort.abort();
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const done = await runAgent({
          store: openStore(flags.store),
          runnerName: flags.runnerName,
          log,
          signal: abort.signal,
          signalReachesK6: () => bySignal,
          waitForRunMs: (flags.waitForRun ?? 0) * 1000,
          pollForRunMs: flags.pollEvery === undefined ? undefined : flags.pollEvery * 1000,
        });
        out(
          `${JSON.stringify({ runner: done.runner, segment: done.segment, exitCode: done.exitCode, requests: done.requests, chunks: done.chunks })}\n`,
        );
        if (done.interrupted) setExitCode(EXIT.interrupted);
        else if (done.error !== null || done.exitCode === null || ![0, 99].includes(done.exitCode))
          setExitCode(EXIT.runFailed);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
