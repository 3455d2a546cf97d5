// A pause between journey steps, drawn from the plan's lognormal think time.

import { sleep } from 'k6';
import { standardNormal, thinkFromNormal } from '../../shared/think-time.ts';
import { plan } from './plan-data.ts';

export function think(): void {
  const s = thinkFromNormal(plan.thinkTime, standardNormal());
  if (s > 0) sleep(s);
}
