/** Seeded uniform numbers for `randn` and the property tests. Private to the package. */

/** SplitMix32: a tiny, well-mixed 32-bit generator; returns uniforms in (0, 1]. */
export function uniform(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z ^= z >>> 16;
    return ((z >>> 0) + 1) / 4294967296;
  };
}
