// rehearse doctor: is this machine ready for a rehearsal on the local replica? Exit 0 ready, 2 not.
import { EXIT } from '../../errors/errors.ts';
import { runDoctor } from '../../pipeline/doctor/doctor.ts';
import { blocking, renderText } from '../../pipeline/doctor/finding.ts';
import { newCommand, out, setExitCode } from './command.ts';

export function doctorCommand() {
  return newCommand('doctor')
    .description(
      'check what a rehearsal on the local replica needs (packages, k6, cgroups, state dir, ports, disk, Node) and say what to do',
    )
    .option('--runs-dir <dir>', 'where run directories will go (for the disk check)', 'runs')
    .option('--json', 'print the findings as JSON')
    .action(async (flags: { runsDir: string; json?: boolean }) => {
      const findings = await runDoctor({ runsDir: flags.runsDir });
      const ok = blocking(findings).length === 0;
      out(flags.json ? `${JSON.stringify({ ok, findings }, null, 2)}\n` : renderText(findings));
      setExitCode(ok ? EXIT.ok : EXIT.usage);
    });
}
