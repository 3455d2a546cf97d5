// Before any deploy: are there AWS credentials, and a terraform or tofu binary to run the synth
// with? Reports every problem at once, each with exactly what to install or set. Reads the
// environment and files only; no network (credentials are checked for presence, not validity).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '../../../errors/errors.ts';

export type CredentialSource = 'environment' | 'profile' | 'web-identity' | 'container';
export type TerraformFlavor = 'terraform' | 'tofu';

export interface PreflightOptions {
  env?: NodeJS.ProcessEnv;
  /** An explicit profile (e.g. --profile): it must exist and hold credentials. */
  profile?: string;
  homeDir?: string;
  /** Which binary to prefer when both are installed. */
  prefer?: TerraformFlavor;
  /** Listing (reap without --destroy) needs only credentials. Default true. */
  requireTerraform?: boolean;
}

export interface PreflightResult {
  credentials: { source: CredentialSource; profile?: string };
  terraform: { flavor: TerraformFlavor; path: string };
}

export class PreflightError extends InputError {
  constructor(readonly problems: string[]) {
    super(`cannot deploy to AWS yet:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const INSTALL_TERRAFORM =
  'install Terraform (https://developer.hashicorp.com/terraform/install) or OpenTofu ' +
  '(https://opentofu.org/docs/intro/install/) and put it on PATH, or set REHEARSE_TERRAFORM to its full path';
const SET_CREDENTIALS =
  'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary keys), ' +
  'or set AWS_PROFILE to a profile made with `aws configure --profile NAME` or `aws configure sso --profile NAME`';
/** Keys that make a shared-config profile a source of credentials. */
const CREDENTIAL_KEYS = [
  'aws_access_key_id',
  'sso_session',
  'sso_start_url',
  'role_arn',
  'credential_process',
  'web_identity_token_file',
  'login_session',
];

export function preflight(opts: PreflightOptions = {}): PreflightResult {
  const env = opts.env ?? process.env;
  const problems: string[] = [];
  const credentials = findCredentials(env, opts, problems);
  if (opts.requireTerraform === false) {
    if (problems.length || !credentials) throw new PreflightError(problems);
    return { credentials, terraform: findTerraform(env, opts.prefer, []) ?? { flavor: 'terraform', path: '' } };
  }
  const terraform = findTerraform(env, opts.prefer, problems);
  if (problems.length || !credentials || !terraform) throw new PreflightError(problems);
  return { credentials, terraform };
}

function findCredentials(
  env: NodeJS.ProcessEnv,
  opts: PreflightOptions,
  problems: string[],
): PreflightResult['credentials'] | undefined {
  const home = opts.homeDir ?? os.homedir();
  const profiles = readProfiles(env.AWS_CONFIG_FILE ?? path.join(home, '.aws', 'config'), true);
  for (const [name, keys] of readProfiles(
    env.AWS_SHARED_CREDENTIALS_FILE ?? path.join(home, '.aws', 'credentials'),
    false,
  )) {
    profiles.set(name, new Set([...(profiles.get(name) ?? []), ...keys]));
  }
  const named = opts.profile ?? env.AWS_PROFILE ?? env.AWS_DEFAULT_PROFILE;
  const fromProfile = (name: string, required: boolean) => {
    const keys = profiles.get(name);
    if (!keys) {
      if (required)
        problems.push(
          `AWS profile "${name}" is not in ~/.aws/config or ~/.aws/credentials: run \`aws configure --profile ${name}\` (or \`aws configure sso --profile ${name}\`), or name another profile`,
        );
      return undefined;
    }
    if (!CREDENTIAL_KEYS.some((k) => keys.has(k))) {
      if (required)
        problems.push(
          `AWS profile "${name}" holds no credentials (none of ${CREDENTIAL_KEYS.join(', ')}): run \`aws configure --profile ${name}\``,
        );
      return undefined;
    }
    return { source: 'profile' as const, profile: name };
  };

  // An explicit profile wins over everything, as in the AWS SDK and CLI.
  if (opts.profile) return fromProfile(opts.profile, true);
  const id = env.AWS_ACCESS_KEY_ID;
  const secret = env.AWS_SECRET_ACCESS_KEY;
  if (id && secret) return { source: 'environment' };
  if (id || secret) {
    problems.push(
      `${id ? 'AWS_ACCESS_KEY_ID' : 'AWS_SECRET_ACCESS_KEY'} is set but ${id ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID'} is not: set both, or unset it and use a profile`,
    );
    return undefined;
  }
  if (named) return fromProfile(named, true);
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE && env.AWS_ROLE_ARN) return { source: 'web-identity' };
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI)
    return { source: 'container' };
  const fallback = fromProfile('default', false);
  if (fallback) return fallback;
  problems.push(`no AWS credentials found: ${SET_CREDENTIALS}`);
  return undefined;
}

/** Profile name → keys it sets. The config file writes "[profile NAME]" (except default); credentials "[NAME]". */
function readProfiles(file: string, isConfig: boolean): Map<string, Set<string>> {
  const profiles = new Map<string, Set<string>>();
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return profiles;
  }
  let current: Set<string> | undefined;
  for (const line of text.split(/\r?\n/)) {
    const section = /^\s*\[\s*([^\]]+?)\s*\]\s*$/.exec(line);
    if (section) {
      const header = section[1]!;
      const name = isConfig ? (header === 'default' ? 'default' : /^profile\s+(.+)$/.exec(header)?.[1]) : header;
      current = name ? (profiles.get(name) ?? new Set()) : undefined;
      if (name && current) profiles.set(name, current);
      continue;
    }
    const kv = /^\s*([A-Za-z0-9_]+)\s*=\s*\S/.exec(line);
    if (kv && current) current.add(kv[1]!.toLowerCase());
  }
  return profiles;
}

function findTerraform(
  env: NodeJS.ProcessEnv,
  prefer: TerraformFlavor | undefined,
  problems: string[],
): PreflightResult['terraform'] | undefined {
  const override = env.REHEARSE_TERRAFORM;
  if (override) {
    const found = override.includes('/') ? (isExecutable(override) ? override : undefined) : onPath(override, env.PATH);
    if (!found) {
      problems.push(
        `REHEARSE_TERRAFORM="${override}" is not an executable file: point it at terraform or tofu, or unset it`,
      );
      return undefined;
    }
    return { flavor: path.basename(found).startsWith('tofu') ? 'tofu' : 'terraform', path: found };
  }
  const order: TerraformFlavor[] = prefer === 'tofu' ? ['tofu', 'terraform'] : ['terraform', 'tofu'];
  for (const flavor of order) {
    const found = onPath(flavor, env.PATH);
    if (found) return { flavor, path: found };
  }
  problems.push(`neither terraform nor tofu is on PATH: ${INSTALL_TERRAFORM}`);
  return undefined;
}

function onPath(name: string, pathVar = ''): string | undefined {
  for (const dir of pathVar.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The Terraform binary to read `what`'s outputs with (e.g. "the store of aws.json"), or an input error listing what is missing. */
export function terraformForOutputs(what: string): PreflightResult['terraform'] {
  try {
    return preflight().terraform;
  } catch (e) {
    if (!(e instanceof PreflightError)) throw e;
    throw new InputError(
      `cannot reach ${what} (it needs AWS credentials, and terraform to read its outputs):\n${e.problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}
