// Entry of the detached controller process that up() starts: `node --import tsx controller-main.ts <config.json>`.
// SIGTERM (down) stops it after the launches and terminations in flight.
import fs from 'node:fs';
import { Controller, type ControllerConfig } from './controller.ts';

const file = process.argv[2];
if (!file) {
  console.error('usage: controller-main.ts <controller config.json> (written by infra/local/replica.ts up())');
  process.exit(2);
}
const config = JSON.parse(fs.readFileSync(file, 'utf8')) as ControllerConfig;
if (config.v !== 1) {
  console.error(
    `${file}: field "v" is ${String(config.v)}, this controller reads version 1; run down() and up() again`,
  );
  process.exit(2);
}
const abort = new AbortController();
for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => abort.abort());
await new Controller(config).run(abort.signal);
process.exit(0);
