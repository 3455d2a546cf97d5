// Service-level objectives for a rehearsal: the same file becomes k6 thresholds (plan stage)
// and the CI gate's rules (reports/gate). Format: scenarios/slo/README.md.
import { formatIssues, fromZodIssues, type Issue } from '../profile/issues.ts';

export class SloError extends InputError {
  constructor(
    readonly file: string,
    readonly issues: Issue[],
  ) {
    super(formatIssues(`SLO file ${file}`, issues));
  }
}

export { JourneySloSchema, SloSchema, type JourneySlo, type Slo } from './slo-format.ts';
import { SloSchema, type Slo } from './slo-format.ts';
import { InputError } from '../../errors/errors.ts';

export function parseSlo(text: string, file: string): Slo {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new SloError(file, [
      { path: [], message: `not valid JSON (${(e as Error).message}) — check the file is complete` },
    ]);
  }
  const res = SloSchema.safeParse(data);
  if (!res.success) throw new SloError(file, fromZodIssues(res.error.issues, 'scenarios/slo/README.md'));
  return res.data;
}
