/**
 * What the pages say about activations beyond one entry: the families they are grouped in,
 * the names a reader may type for one, its shape behaviour in PyTorch's words, and how to
 * install it. Everything is derived from the registry; only the families' own descriptions
 * are written here, keyed by the registry's `Family` type so that a new family cannot be
 * left undescribed.
 */

import type { ActivationInfo, Family } from "@nonlin/core";

/** How each family is introduced on the index: its heading and when to reach for it. */
export const FAMILIES: Readonly<Record<Family, { title: string; when: string }>> = {
  rectifier: {
    title: "Rectifiers",
    when: "The default for hidden layers: cheap, and the gradient does not shrink for " +
      "positive inputs. The variants keep a little gradient or a bounded output for x < 0.",
  },
  smooth: {
    title: "Smooth rectifiers",
    when: "ReLU's shape without the kink, for transformers (GELU) and modern CNNs (SiLU, " +
      "Mish); they cost a transcendental call or two per element.",
  },
  squashing: {
    title: "Squashing functions",
    when: "Bounded outputs for gates, probabilities and recurrent states. They saturate, so " +
      "deep stacks of them lose their gradient.",
  },
  shrinkage: {
    title: "Shrinkage",
    when: "Pull small inputs to (or towards) zero, for sparse codes and denoising.",
  },
  gate: {
    title: "Gates",
    when: "Half of the input decides how much of the other half passes, as in the gated " +
      "feed-forward layers of language models.",
  },
  normaliser: {
    title: "Normalisers",
    when: "Turn scores into probabilities (or their logarithms) along one dimension, for " +
      "classifier outputs and attention.",
  },
};

/** The registry grouped by family, families in the order their first member appears. */
export function byFamily(
  activations: readonly ActivationInfo[],
): { family: Family; members: ActivationInfo[] }[] {
  const groups = new Map<Family, ActivationInfo[]>();
  for (const info of activations) {
    groups.set(info.family, [...(groups.get(info.family) ?? []), info]);
  }
  return [...groups].map(([family, members]) => ({ family, members }));
}

/** A name folded for matching: case and punctuation ignored (`leaky_relu` is `LeakyReLU`). */
function fold(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/**
 * The entry a typed name means: its functional name, class name or an alias, in any case and
 * with any punctuation, or `undefined`.
 *
 * @example Usage
 * ```ts
 * import { ACTIVATIONS } from "@nonlin/core";
 * import { resolveActivation } from "./_activations.ts";
 * import assert from "node:assert/strict";
 * assert.equal(resolveActivation(ACTIVATIONS, "leakyrelu")?.name, "leakyRelu");
 * assert.equal(resolveActivation(ACTIVATIONS, "Swish")?.name, "silu");
 * ```
 */
export function resolveActivation(
  activations: readonly ActivationInfo[],
  name: string,
): ActivationInfo | undefined {
  const exact = activations.find((a) => a.name === name);
  if (exact) return exact;
  const wanted = fold(name);
  if (wanted === "") return undefined;
  return activations.find((a) => fold(a.name) === wanted || fold(a.className) === wanted) ??
    activations.find((a) => a.aliases.some((alias) => fold(alias) === wanted));
}

/** The text a filter searches for one entry: names, aliases, title, summary and family. */
export function searchText(info: ActivationInfo): string {
  return [info.name, info.className, info.title, ...info.aliases, info.summary, info.family]
    .join(" ").toLowerCase();
}

/** Whether every word of `query` occurs in `text` (already lower-cased); "" matches all. */
export function matchesQuery(text: string, query: string): boolean {
  return query.toLowerCase().split(/\s+/).filter(Boolean).every((word) => text.includes(word));
}

/** Names of the trailing dims of an image-like input, for a fixed dim counted from the end. */
const IMAGE_DIMS = ["C", "H", "W"];

/**
 * The input and output shapes of an entry in PyTorch's words, from its shape behaviour:
 * `(*)` for any number of dimensions.
 */
export function shapeNote(info: ActivationInfo): { input: string; output: string } {
  const { slices, alongDim } = info.shape;
  if (typeof slices === "number") {
    const trailing = -slices;
    const names = trailing <= IMAGE_DIMS.length
      ? IMAGE_DIMS.slice(IMAGE_DIMS.length - trailing)
      : ["C", ...Array.from({ length: trailing - 1 }, (_, i) => `d${i + 1}`)];
    return {
      input: `(${names.join(", ")}) or (N, ${names.join(", ")}): ${trailing}-d or ${
        trailing + 1
      }-d, normalised over ${names[0]} (dim ${slices})`,
      output: "the same shape as the input",
    };
  }
  if (slices === "dim-option" && alongDim === "half") {
    return {
      input: "(*₁, N, *₂): any number of dimensions, N (the size along dim) even",
      output: "(*₁, M, *₂) with M = N / 2: dim is halved",
    };
  }
  if (slices === "dim-option") {
    return {
      input: "(*): any number of dimensions; each slice along dim is taken as a whole",
      output: "(*): the same shape as the input",
    };
  }
  return {
    input: "(*): any number of dimensions",
    output: "(*): the same shape as the input",
  };
}

/** The package the activations are published in. */
export const PACKAGE = "@nonlin/core";

/** How to add the package, per tool, and how to import one entry. */
export function installSnippets(info: ActivationInfo): { label: string; code: string }[] {
  return [
    { label: "Deno", code: `deno add jsr:${PACKAGE}` },
    { label: "Node.js, Bun (npm)", code: `npx jsr add ${PACKAGE}` },
    { label: "Import", code: `import { ${info.name}, ${info.className} } from "${PACKAGE}";` },
  ];
}
