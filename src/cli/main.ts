import { runAgentCommand } from '../agent/agent-command.ts';
import { runApplyCli, runExportCli } from './apply/apply-command.ts';
import { runAuditCli } from './audit/audit-cli.ts';
import { runAttackCommand } from './attack/attack-command.ts';
import { runKeysCommand } from './keys/keys-command.ts';
import { runMitigationsCli } from './mitigations/mitigations-command.ts';
import { runServeCommand } from './serve-command.ts';
import { runSimulateCli } from '../simulate/simulate-command.ts';

const USAGE = `Usage: warden <command> [options]

Commands:
  serve    run the Warden service (broker, API, detect) on embedded defaults
  agent    run a Device Defender agent that reports this machine's network metrics
  audit    audit a running Warden, or a folder of exported certificates and policies (--offline)
  mitigations  list mitigation executions and roll them back
  keys     create, list and revoke API keys (read-only, operator, admin)
  apply    plan and apply fleet files (security profiles, audit setup, mitigation actions, ...)
  export   write the current setup as a fleet file that "warden apply" accepts
  simulate run a virtual fleet and adversary scenarios against a running Warden on this machine
  attack   ATT&CK coverage of the running setup, Navigator layers, Mappings Explorer files

Run "warden <command> --help" for the options of a command.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return runServeCommand(rest);
    case 'agent':
      return runAgent(rest);
    case 'audit':
      return runAuditCli(rest);
    case 'mitigations':
      return runMitigationsCli(rest);
    case 'attack':
      return runAttackCommand(rest, { ...processIo(), env: process.env });
    case 'simulate':
      return runSimulateCli(rest);
    case 'apply':
      return runApplyCli(rest);
    case 'export':
      return runExportCli(rest);
    case 'keys':
      return runKeysCommand(rest, {
        stdout: process.stdout,
        stderr: process.stderr,
        env: process.env,
      });
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`Unknown command "${command}"\n\n${USAGE}\n`);
      return 2;
  }
}

function processIo() {
  return { stdout: process.stdout, stderr: process.stderr };
}

async function runAgent(argv: string[]): Promise<number> {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  const stdout = (line: string) => process.stdout.write(`${line}\n`);
  const stderr = (line: string) => process.stderr.write(`${line}\n`);
  return runAgentCommand(argv, { stdout, stderr, signal: controller.signal });
}

// A reader that goes away (`warden simulate --list | head`) ends the output, not with a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`warden: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
