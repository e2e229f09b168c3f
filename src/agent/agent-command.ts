/**
 * The `warden agent` command: parses the flags, runs the agent and turns the outcome into an
 * exit code, so the CLI entry point only wires process streams and signals to it.
 */
import { AGENT_USAGE, AgentArgsError, parseAgentArgs } from './agent-args.ts';
import { runAgent } from './agent.ts';

/** Output streams of the command and the signal that stops it (SIGINT and SIGTERM in the CLI). */
export interface AgentCommandIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  signal?: AbortSignal;
}

/** Exit codes of `warden agent`. */
export const AGENT_EXIT = {
  /** No report was rejected or left without a response. */
  ok: 0,
  /** A report was rejected or left without a response, or the agent could not start. */
  failed: 1,
  /** The flags were invalid, so the usage text was printed. */
  usage: 2,
} as const;

/**
 * Runs `warden agent` with the arguments after the command name and returns the exit code.
 * Progress lines go to `stdout`, while usage and start-up errors go to `stderr`.
 */
export async function runAgentCommand(
  argv: readonly string[],
  io: AgentCommandIo,
): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(AGENT_USAGE);
    return AGENT_EXIT.ok;
  }
  let args;
  try {
    args = parseAgentArgs(argv);
  } catch (error) {
    if (!(error instanceof AgentArgsError)) throw error;
    io.stderr(error.message);
    io.stderr(AGENT_USAGE);
    return AGENT_EXIT.usage;
  }

  try {
    const summary = await runAgent({
      ...args,
      output: io.stdout,
      ...(io.signal && { signal: io.signal }),
    });
    const clean = summary.rejected === 0 && summary.unanswered === 0;
    return clean ? AGENT_EXIT.ok : AGENT_EXIT.failed;
  } catch (error) {
    io.stderr((error as Error).message);
    return AGENT_EXIT.failed;
  }
}
