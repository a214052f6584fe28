/**
 * X9 slow start: call fn `count` times in batches 1, 2, 4, 8…; stop after the first batch with a
 * failure. Returns the number of successes. (Synchronous here: the API is in-process.)
 */
export function slowStartBatch(count: number, initialBatchSize: number, fn: (i: number) => boolean): number {
  let remaining = count, successes = 0, batch = Math.min(remaining, initialBatchSize), i = 0;
  while (batch > 0) {
    let errors = 0;
    for (let j = 0; j < batch; j++) {
      if (fn(i++)) successes++;
      else errors++;
    }
    if (errors > 0) return successes;
    remaining -= batch;
    batch = Math.min(2 * batch, remaining);
  }
  return successes;
}
