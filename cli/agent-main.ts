// Entry point of an agent process that the controller starts (runners/distributed/local-agents.ts) and
// the AWS fleet's systemd unit runs: the agent command alone (a lean start), with the CLI's exit codes.
import { agentCommand } from './commands/agent.ts';
import { PROCESS_IO } from './commands/command.ts';
import { runProgram } from './run-program.ts';

process.exitCode = await runProgram(agentCommand(), process.argv.slice(2), PROCESS_IO);
