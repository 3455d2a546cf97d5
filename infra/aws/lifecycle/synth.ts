// Synthesizes a rehearsal's stacks into a directory and says where each stack's Terraform JSON
// is: the contract handed to terraform/tofu (cdktf's CLI is not needed; cdktf.json serves those who use it).
import fs from 'node:fs';
import path from 'node:path';
import { buildApp, stackOrder, type RehearsalInfra } from '../app.ts';
import { readInfraConfig } from '../config/infra-config.ts';

export interface SynthesizedStack {
  name: string;
  /** The directory to run terraform/tofu in (-chdir). */
  dir: string;
  /** Its cdk.tf.json. */
  file: string;
}

/** Stacks in apply order; throws if cdktf wrote nothing where expected. */
export function synthesize(infra: RehearsalInfra, outdir: string): SynthesizedStack[] {
  const abs = path.resolve(outdir);
  fs.mkdirSync(abs, { recursive: true });
  buildApp(infra, abs).synth();
  return stackOrder(infra).map((name) => {
    const dir = path.join(abs, 'stacks', name);
    const file = path.join(dir, 'cdk.tf.json');
    if (!fs.existsSync(file))
      throw new Error(`synth wrote no ${file}: check ${abs}/manifest.json for the stacks cdktf produced`);
    return { name, dir, file };
  });
}

/** Path of one stack's Terraform JSON (the first, the store, when no name is given). */
export function synthesizeStack(infra: RehearsalInfra, outdir: string, name?: string): string {
  const stacks = synthesize(infra, outdir);
  const stack = name ? stacks.find((s) => s.name === name) : stacks[0];
  if (!stack) throw new Error(`no stack "${name}" in this rehearsal; stacks: ${stacks.map((s) => s.name).join(', ')}`);
  return stack.file;
}

/**
 * `rehearse stack synth`: the Terraform JSON of every stack in a config, for a platform team to
 * read and scan before anything is created. Makes no AWS call, so it needs no credentials.
 */
export function synthesizeForReview(configPath: string, outdir: string): SynthesizedStack[] {
  return synthesize(readInfraConfig(configPath), outdir);
}
