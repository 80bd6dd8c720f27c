import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { poll } from '#test/support/poll.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const MAIN = join(ROOT, 'dist', 'main.js');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A CivicPost process started as a user starts it, with its output collected. */
export class AppProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<Exit>;

  constructor(env: Record<string, string>, args: string[] = [], script = MAIN) {
    this.child = spawn(process.execPath, [script, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8').on('data', (d: string) => (this.stdout += d));
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Resolves with the first match of `pattern` in stdout; rejects if the process exits or time runs out. */
  async waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
    let exited = false;
    void this.exited.then(() => (exited = true));
    const output = () => `stdout:\n${this.stdout}\nstderr:\n${this.stderr}`;
    // A child process starts in real time: it is polled, not driven.
    const m = await poll(
      `${pattern} within ${timeoutMs} ms`,
      async () => {
        const found = this.stdout.match(pattern);
        if (!found && exited) throw new Error(`process exited before printing ${pattern}\n${output()}`);
        return found;
      },
      (m) => m !== null,
      timeoutMs,
      { everyMs: 50, describe: () => `not printed\n${output()}` },
    );
    return m!;
  }

  /** The base URL printed in the welcome banner. */
  async url(): Promise<string> {
    const m = await this.waitFor(/API and its documentation: (http:\/\/\S+)\/api\/docs/);
    return m[1]!;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

/** Polls until `url` answers 200, returning the parsed body. */
export async function waitForHealthy(url: string, timeoutMs = 60_000): Promise<Record<string, unknown>> {
  const answer = await poll(
    `${url} healthy within ${timeoutMs} ms`,
    async () => {
      const res = await fetch(url);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    (a) => a.status === 200,
    timeoutMs,
    // Refused or unreadable while the process starts: asked again.
    { retryOn: () => true, describe: (a) => `${a.status} ${JSON.stringify(a.body)}` },
  );
  return answer.body;
}
