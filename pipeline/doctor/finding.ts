// What the doctor says about one thing a run needs: ok, a warning (the run goes on, measuring
// less), or a failure (the run would stop part-way: it stops before starting instead).
export type Status = 'ok' | 'warn' | 'fail';

export interface Finding {
  check: string;
  status: Status;
  detail: string;
  /** What to do about it; absent when nothing needs doing. */
  advice?: string;
}

export const blocking = (findings: Finding[]) => findings.filter((f) => f.status === 'fail');

export function renderText(findings: Finding[]): string {
  const width = Math.max(...findings.map((f) => f.check.length));
  const lines = findings.flatMap((f) => [
    `${f.status === 'fail' ? 'FAIL' : f.status.padEnd(4)}  ${f.check.padEnd(width)}  ${f.detail}`,
    ...(f.advice ? [`${' '.repeat(width + 8)}→ ${f.advice}`] : []),
  ]);
  const failed = blocking(findings).length;
  const warned = findings.filter((f) => f.status === 'warn').length;
  lines.push(
    failed
      ? `${failed} problem(s) stop a rehearsal here; fix them and run 'rehearse doctor' again`
      : `ready${warned ? ` (${warned} warning(s))` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}
