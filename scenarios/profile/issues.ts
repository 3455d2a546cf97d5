// Problems found in a file or in options, each tied to a field path, and how they read:
// "profile p.json: shape[3].rate: rate must be between 0 and 1 — relative to the peak".
// Shared by ProfileError, PlanError and the catalogue reader.

import type { z } from 'zod';

export type FieldPath = ReadonlyArray<PropertyKey>;

export interface Issue {
  path: FieldPath;
  message: string;
}

/** ["shape", 3, "rate"] → "shape[3].rate"; [] → "(top level)". */
export function formatFieldPath(path: FieldPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_$][\w$-]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out || '(top level)';
}

/** One line for one issue, a list for several. `label` names the thing: "profile p.json". */
export function formatIssues(label: string, issues: Issue[]): string {
  if (issues.length === 1) return `${label}: ${formatFieldPath(issues[0]!.path)}: ${issues[0]!.message}`;
  return (
    `${label}: ${issues.length} problems:\n` +
    issues.map((i) => `  - ${formatFieldPath(i.path)}: ${i.message}`).join('\n')
  );
}

/** zod's issues in plain words; `docs` says where the format is described. */
export function fromZodIssues(issues: z.core.$ZodIssue[], docs: string): Issue[] {
  return issues.map((iss) => ({ path: iss.path, message: describe(iss, docs) }));
}

function describe(iss: z.core.$ZodIssue, docs: string): string {
  if (iss.code === 'unrecognized_keys') {
    return `unknown field${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `"${k}"`).join(', ')} — remove it or check the spelling`;
  }
  if (iss.code === 'invalid_key') return iss.issues.map((i) => i.message).join('; ');
  if (iss.message.startsWith('Invalid input') && iss.code === 'invalid_type') {
    return `expected ${iss.expected}, got ${describeInput(iss.input)} — see ${docs}`;
  }
  if (iss.message.startsWith('Invalid')) return `${iss.message} — see ${docs}`;
  return iss.message;
}

function describeInput(v: unknown): string {
  if (v === undefined) return 'nothing (the field is missing)';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'string' ? `the string ${JSON.stringify(v)}` : `${typeof v} ${JSON.stringify(v)}`;
}
