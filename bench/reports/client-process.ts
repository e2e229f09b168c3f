import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ClientCommand, ClientEvent, PhaseKind } from './protocol.ts';

type EventOf<T extends ClientEvent['type']> = Extract<ClientEvent, { type: T }>;

interface Waiter {
  type: ClientEvent['type'];
  resolve: (event: ClientEvent) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Callbacks for the window marks the load generator sends while a phase runs. */
export interface WindowListener {
  onWindowStart(phase: PhaseKind): void;
  onWindowEnd(phase: PhaseKind): void;
}

/**
 * The server-side handle of the load-generator child process: sends it commands and waits for
 * the matching event, with a timeout, so a stuck child cannot hang the benchmark.
 */
export class LoadClientProcess {
  private readonly waiters: Waiter[] = [];
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    private readonly listener: WindowListener,
  ) {
    child.on('message', (event: ClientEvent) => this.dispatch(event));
    child.on('exit', (code, signal) => {
      this.exited = true;
      const error = new Error(`Load generator exited with code ${code} (signal ${signal})`);
      for (const waiter of this.waiters.splice(0)) this.settle(waiter, error);
    });
  }

  /** Starts load-client.ts under tsx in a child process with its own event loop and core. */
  static start(listener: WindowListener, repoRoot: string): LoadClientProcess {
    const entry = fileURLToPath(new URL('./load-client.ts', import.meta.url));
    const child = fork(entry, [], {
      cwd: repoRoot,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new LoadClientProcess(child, listener);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Sends `command` and resolves with the first event of type `expect`. */
  request<T extends ClientEvent['type']>(
    command: ClientCommand,
    expect: T,
    timeoutMs: number,
  ): Promise<EventOf<T>> {
    if (this.exited) return Promise.reject(new Error('Load generator is not running'));
    return new Promise<EventOf<T>>((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new Error(`Load generator sent no "${expect}" within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Waiter = {
        type: expect,
        resolve: (event) => resolve(event as EventOf<T>),
        reject,
        timer,
      };
      this.waiters.push(waiter);
      this.child.send(command);
    });
  }

  /** Stops the child if it is still running after `close`. */
  kill(): void {
    if (!this.exited) this.child.kill('SIGTERM');
  }

  private dispatch(event: ClientEvent): void {
    if (event.type === 'window-start') return this.listener.onWindowStart(event.phase);
    if (event.type === 'window-end') return this.listener.onWindowEnd(event.phase);
    if (event.type === 'error') {
      const error = new Error(`Load generator failed: ${event.message}`);
      for (const waiter of this.waiters.splice(0)) this.settle(waiter, error);
      return;
    }
    const index = this.waiters.findIndex((waiter) => waiter.type === event.type);
    if (index < 0) return;
    const [waiter] = this.waiters.splice(index, 1);
    if (waiter) this.settle(waiter, event);
  }

  private settle(waiter: Waiter, outcome: ClientEvent | Error): void {
    clearTimeout(waiter.timer);
    if (outcome instanceof Error) waiter.reject(outcome);
    else waiter.resolve(outcome);
  }
}
