export interface PollOptions<T = unknown> {
  /** Between two calls of `get`; 200 ms by default. */
  everyMs?: number;
  /** An error of `get` that means "not yet" (a server still starting): called again; past the deadline, the last one is named. */
  retryOn?: (err: unknown) => boolean;
  /** The last answer as the error past the deadline shows it; its JSON (2,000 characters at most) by default. */
  describe?: (v: T) => string;
}

/**
 * Calls `get` until `done` holds for its answer, which is returned; past the deadline, throws naming `what` and the last
 * answer. `options` is the pause between calls (a number, as before) or {@link PollOptions}.
 */
export async function poll<T>(
  what: string,
  get: () => Promise<T>,
  done: (v: T) => boolean,
  timeoutMs: number,
  options: number | PollOptions<T> = 200,
): Promise<T> {
  const {
    everyMs = 200,
    retryOn,
    describe = (v: T) => String(JSON.stringify(v)).slice(0, 2000),
  } = typeof options === 'number' ? { everyMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let last: string;
    try {
      const v = await get();
      if (done(v)) return v;
      last = describe(v);
    } catch (err) {
      if (!retryOn?.(err)) throw err;
      last = `failing: ${(err as Error)?.message ?? String(err)}`;
    }
    if (Date.now() > deadline) throw new Error(`${what}: still ${last}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
