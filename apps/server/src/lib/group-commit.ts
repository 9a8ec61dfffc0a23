/**
 * Group commit: calls made while a write is in flight wait for it and then go together in the
 * next one (at most `max` at a time). An idle caller is written at once, so a lone message
 * waits for nothing; under load, one transaction carries many (the SMTP receiver's raw store).
 * If a write fails, every call in it fails with that error (nothing is half-written).
 */
export function groupCommit<T, R>(write: (items: T[]) => Promise<R[]>, max = 64): (item: T) => Promise<R> {
  const queue: Array<{ item: T; resolve: (r: R) => void; reject: (e: unknown) => void }> = [];
  let busy = false;
  const drain = async () => {
    busy = true;
    while (queue.length) {
      const batch = queue.splice(0, max);
      try {
        const out = await write(batch.map((b) => b.item));
        batch.forEach((b, i) => {
          b.resolve(out[i] as R);
        });
      } catch (e) {
        for (const b of batch) b.reject(e);
      }
    }
    busy = false;
  };
  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!busy) void drain();
    });
}
