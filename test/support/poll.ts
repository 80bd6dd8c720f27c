/** Calls `get` until `done` holds for its answer, which is returned; past the deadline, throws naming `what` and the last answer. */
export async function poll<T>(what: string, get: () => Promise<T>, done: (v: T) => boolean, timeoutMs: number, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(v).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
