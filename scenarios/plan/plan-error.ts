// A plan that cannot be built, read or trusted. The message names where (plan options, a plan or
// catalogue file), the field and the fix: "plan options: baseUrl: host "shop.example" is not on ...".

import { formatIssues, type Issue } from '../profile/issues.ts';
import { InputError } from '../../errors/errors.ts';

export class PlanError extends InputError {
  constructor(
    readonly where: string,
    readonly issues: Issue[],
  ) {
    super(formatIssues(where, issues));
  }
}

/** Shorthand for a single-issue PlanError. */
export function planError(where: string, field: PropertyKey[], message: string): PlanError {
  return new PlanError(where, [{ path: field, message }]);
}
