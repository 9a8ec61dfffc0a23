/**
 * Waits on a condition, not on the clock: calls `check` until it returns a truthy value and
 * resolves with that value. The deadline is generous (a busy 2-core CI machine is slow, and a
 * condition that holds returns at once); when it passes, the error says what was awaited and
 * the last value seen. The default (45 s) held at load average 30; the tests' own limit is longer. The one copy for every server test (GUIDE: tests that hold under load).
 *
 *   const job = await until(() => jobById(id).then((j) => j?.status === "done" && j));
 */
export async function until<T>(
  check: () => T | Promise<T>,
  opts: { timeout?: number; interval?: number; what?: string | (() => unknown) } | number = {},
): Promise<Exclude<T, false | null | undefined | 0 | "">> {
  const {
    timeout = 45_000,
    interval = 25,
    what = "a condition",
  } = typeof opts === "number" ? { timeout: opts } : opts;
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value as Exclude<T, false | null | undefined | 0 | "">;
    if (Date.now() > deadline) {
      const detail = typeof what === "function" ? await what() : what;
      throw new Error(
        `timed out after ${timeout} ms waiting for ${typeof detail === "string" ? detail : JSON.stringify(detail)} (last value: ${JSON.stringify(value)})`,
      );
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}
