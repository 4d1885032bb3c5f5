/**
 * What the pool learns from its own runs: what a parallel run costs beyond its share of the work
 * (waking sleeping workers, messages, waiting for the last chunk: milliseconds on some machines,
 * which back-to-back pings do not see), and what an element of each op really costs on the
 * calling thread. Both replace first guesses (the ping round trip, the registry's cost times a
 * calibration) once measured. Private to the package.
 */

/**
 * The key under which the cost of copying an ordinary input into shared memory is learnt, per
 * element copied: a run on ordinary tensors is worth sending only if the work it takes over
 * pays for that copy too.
 */
export const COPY_KEY = "copy into shared memory";

/** Recent samples of one quantity; their median resists the odd slow one. */
class Samples {
  readonly #values: number[] = [];
  constructor(readonly capacity: number) {}

  add(value: number): void {
    if (!Number.isFinite(value) || value < 0) return;
    this.#values.push(value);
    if (this.#values.length > this.capacity) this.#values.shift();
  }

  median(): number | undefined {
    const n = this.#values.length;
    if (n === 0) return undefined;
    const s = [...this.#values].sort((a, b) => a - b);
    return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
}

/** Overheads and per-op costs observed by one pool. */
export class Tuning {
  readonly #overhead = new Samples(9);
  readonly #costs = new Map<string, Samples>();

  /** A parallel run took `ms` longer than an even split of its work (negative counts as 0). */
  recordOverhead(ms: number): void {
    this.#overhead.add(Math.max(ms, 0));
  }

  /** Median observed overhead in ms, or `fallback` before any was seen. */
  overheadMs(fallback: number): number {
    return this.#overhead.median() ?? fallback;
  }

  /** `elements` of the op `key` took `ms` on the calling thread (ignored below 0.05 ms). */
  recordCost(key: string, elements: number, ms: number): void {
    if (elements <= 0 || ms < 0.05) return;
    let s = this.#costs.get(key);
    if (s === undefined) {
      if (this.#costs.size >= 256) this.#costs.clear();
      this.#costs.set(key, s = new Samples(5));
    }
    s.add((ms * 1e6) / elements);
  }

  /** Median observed ns per element of the op `key`, or `fallback`. */
  costNs(key: string, fallback: number): number {
    return this.#costs.get(key)?.median() ?? fallback;
  }
}
