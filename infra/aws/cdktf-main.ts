// The entry cdktf.json points at, so `npx cdktf synth` / `npx cdktf diff <stack>` work as CDKTF
// users expect: the same stacks `rehearse stack synth` writes, from the config in
// REHEARSE_AWS_CONFIG (default ./aws.json), into the directory the cdktf CLI chooses (CDKTF_OUTDIR).
import { buildApp } from './app.ts';
import { readInfraConfig } from './config/infra-config.ts';
import { RehearseError } from '../../errors/errors.ts';

try {
  buildApp(readInfraConfig(process.env.REHEARSE_AWS_CONFIG || 'aws.json')).synth();
} catch (err) {
  if (!(err instanceof RehearseError)) throw err;
  process.stderr.write(`${err.message}\n(set REHEARSE_AWS_CONFIG=FILE to synthesize another config)\n`);
  process.exitCode = err.exitCode;
}
