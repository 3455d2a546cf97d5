// Runs `rehearse …` in this process with captured output: what a user would see, without a subprocess.
import { main } from '../main.ts';

export interface CliResult {
  code: number;
  /** The same as code, named as spawnSync names it. */
  status: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, status: code, stdout, stderr };
}
