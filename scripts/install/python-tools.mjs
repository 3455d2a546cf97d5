// Python tools the tests use, each in its own venv under .tools (their dependencies clash):
// moto's server (a real AWS API emulator for S3, CloudWatch, Auto Scaling) and checkov.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, say } from './run-command.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Tool name → the executable the tests call, inside .tools/<name>-venv/bin. */
export const PYTHON_TOOLS = { moto: 'moto_server', checkov: 'checkov' };

export function pythonToolPath(name) {
  return join(root, '.tools', `${name}-venv`, 'bin', PYTHON_TOOLS[name]);
}

export function ensurePythonTool(name) {
  const requirements = join(root, 'tools', 'python', `${name}.txt`);
  const venv = join(root, '.tools', `${name}-venv`);
  const hash = createHash('sha256').update(readFileSync(requirements)).digest('hex');
  const stamp = join(venv, '.rehearse-requirements-sha256');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash && existsSync(pythonToolPath(name)))
    return pythonToolPath(name);
  say(`installing ${name} from PyPI into .tools/${name}-venv`);
  run('python3', ['-m', 'venv', venv]);
  run(join(venv, 'bin', 'pip'), ['install', '-q', '--disable-pip-version-check', '-r', requirements]);
  writeFileSync(stamp, hash);
  return pythonToolPath(name);
}
