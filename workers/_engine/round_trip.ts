/**
 * The round trip to a worker, as first measured: a few pings at first use. Private to the
 * package.
 */

/** Pings timed after the first; their median is the round trip. */
const PINGS = 5;

/** Measures the round trip once, with `ping`, and remembers it. */
export class RoundTrip {
  readonly #ping: () => Promise<unknown>;
  #measured?: Promise<number>;

  /** Pings through `ping`, which resolves when a worker answered. */
  constructor(ping: () => Promise<unknown>) {
    this.#ping = ping;
  }

  /**
   * The round trip in ms, measured on the first call. A measurement that fails (a worker that
   * cannot start) rejects that call and is tried again by the next.
   */
  get(): Promise<number> {
    if (this.#measured) return this.#measured;
    this.#measured = this.#measure();
    this.#measured.catch(() => (this.#measured = undefined));
    return this.#measured;
  }

  async #measure(): Promise<number> {
    // The first ping also waits for a worker to start and load its modules: not counted.
    await this.#ping();
    const times: number[] = [];
    for (let i = 0; i < PINGS; i++) {
      const t = performance.now();
      await this.#ping();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return times[(PINGS - 1) / 2];
  }
}
