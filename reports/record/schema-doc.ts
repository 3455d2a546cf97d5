// Field reference of the run record, generated from the schema's own descriptions so the docs
// cannot drift from the code. `node --import tsx reports/record/schema-doc.ts` prints the table
// that README.md embeds; a test checks README.md is current.

import { fileURLToPath } from 'node:url';
import { runRecordSchema } from './record-schema.ts';

export interface FieldDoc {
  path: string;
  type: string;
  description: string;
}

interface ZodLike {
  description?: string;
  _zod: { def: { type: string; [k: string]: unknown } };
}

function typeName(s: ZodLike): string {
  const def = s._zod.def;
  switch (def.type) {
    case 'nullable':
      return `${typeName(def.innerType as ZodLike)} \\| null`;
    case 'array':
      return `${typeName(def.element as ZodLike)}[]`;
    case 'record':
      return `{ [key]: ${typeName(def.valueType as ZodLike)} }`;
    case 'literal':
      return (def.values as unknown[]).map((v) => JSON.stringify(v)).join(' \\| ');
    case 'number': {
      const checks = (def.checks as Array<{ _zod: { def: { check: string } } }> | undefined) ?? [];
      return checks.some((c) => c._zod.def.check === 'number_format') ? 'integer' : 'number';
    }
    default:
      return def.type;
  }
}

/** Every field under `schema`, depth first, with its type and description. */
export function schemaFields(schema: unknown = runRecordSchema, path = ''): FieldDoc[] {
  const out: FieldDoc[] = [];
  const visit = (s: ZodLike, p: string, description: string | undefined, nullable = false, optional = false) => {
    const def = s._zod.def;
    if (def.type === 'nullable')
      return visit(def.innerType as ZodLike, p, description ?? (def.innerType as ZodLike).description, true, optional);
    if (def.type === 'optional')
      return visit(def.innerType as ZodLike, p, description ?? (def.innerType as ZodLike).description, nullable, true);
    const type =
      (def.type === 'object' ? 'object' : typeName(s)) +
      (nullable ? ' \\| null' : '') +
      (optional ? ' (optional)' : '');
    if (p !== '') out.push({ path: p, type, description: description ?? '' });
    if (def.type === 'object') {
      for (const [key, child] of Object.entries(def.shape as Record<string, ZodLike>))
        visit(child, p ? `${p}.${key}` : key, child.description);
    } else if (def.type === 'array' && (def.element as ZodLike)._zod.def.type === 'object') {
      for (const [key, child] of Object.entries((def.element as ZodLike)._zod.def.shape as Record<string, ZodLike>))
        visit(child, `${p}[].${key}`, child.description);
    }
  };
  visit(schema as ZodLike, path, undefined);
  return out;
}

export function fieldTable(fields: FieldDoc[] = schemaFields()): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    '| field | type | meaning |',
    '|---|---|---|',
    ...fields.map((f) => `| \`${f.path}\` | ${f.type} | ${esc(f.description)} |`),
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(fieldTable());
