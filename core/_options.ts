/**
 * Declarative option specs, validated once at each public entry point. The registry publishes
 * the same specs, so the docs, the pool and the validation cannot drift apart.
 */

import { show } from "./_shape.ts";
import type { Tensor } from "./tensor.ts";

/** Describes one option of an activation: its kind, default and valid range. */
export interface OptionSpec {
  /** The option's name, as passed in the options object. */
  readonly name: string;
  /** What kind of value it takes. */
  readonly kind: "number" | "integer" | "enum" | "boolean";
  /** Value used when the option is absent (none for required options). */
  readonly default?: number | string | boolean;
  /** Inclusive lower bound for numbers. */
  readonly min?: number;
  /** Exclusive lower bound for numbers. */
  readonly above?: number;
  /** Inclusive upper bound for numbers. */
  readonly max?: number;
  /** Allowed values for enums. */
  readonly values?: readonly string[];
  /** Whether the option must be given. */
  readonly required?: boolean;
  /** One line for the docs. */
  readonly description: string;
}

/** Options every functional activation accepts besides its own. */
export interface OutOption {
  /**
   * Preallocated output of the input's shape and dtype; may be the input itself (in place) or share
   * part of its memory (a shifted view): the result is then computed from a copy of the input.
   * Returned as the result, so hot loops allocate nothing.
   */
  out?: Tensor;
}

function describe(spec: OptionSpec): string {
  if (spec.kind === "enum") return `one of ${spec.values!.map(show).join(", ")}`;
  if (spec.kind === "boolean") return "a boolean";
  const noun = spec.kind === "integer" ? "an integer" : "a number";
  const bounds: string[] = [];
  if (spec.min !== undefined) bounds.push(`≥ ${spec.min}`);
  if (spec.above !== undefined) bounds.push(`> ${spec.above}`);
  if (spec.max !== undefined) bounds.push(`≤ ${spec.max}`);
  if (bounds.length) return `${noun} ${bounds.join(" and ")}`;
  return spec.kind === "integer" ? noun : "a finite number";
}

/**
 * Checks `options` against `specs` and returns a complete object with defaults filled in.
 * Unknown names and wrong types are TypeErrors; values out of range are RangeErrors.
 */
export function resolveOptions<T>(
  fn: string,
  options: unknown,
  specs: readonly OptionSpec[],
  extra: readonly string[] = ["out"],
): T {
  if (options === undefined) options = {};
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(`Cannot call ${fn}() with options ${show(options)}: expected an object`);
  }
  const given = options as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!specs.some((s) => s.name === key) && !extra.includes(key)) {
      const known = [...specs.map((s) => s.name), ...extra].map(show).join(", ");
      throw new TypeError(
        `Cannot call ${fn}() with unknown option ${show(key)}: expected ${
          known ? `one of ${known}` : "no options"
        }`,
      );
    }
  }
  const result: Record<string, unknown> = { ...given };
  for (const spec of specs) {
    const value = given[spec.name];
    if (value === undefined) {
      if (spec.required) {
        throw new TypeError(
          `Cannot call ${fn}() without option ${show(spec.name)}: it is required`,
        );
      }
      result[spec.name] = spec.default;
      continue;
    }
    const what = `Cannot use ${fn}() option ${spec.name} ${show(value)}: expected ${
      describe(spec)
    }`;
    if (spec.kind === "enum") {
      if (typeof value !== "string") throw new TypeError(what);
      if (!spec.values!.includes(value)) throw new RangeError(what);
    } else if (spec.kind === "boolean") {
      if (typeof value !== "boolean") throw new TypeError(what);
    } else {
      if (typeof value !== "number") throw new TypeError(what);
      if (
        Number.isNaN(value) || (spec.kind === "integer" && !Number.isInteger(value)) ||
        (spec.min !== undefined && value < spec.min) ||
        (spec.above !== undefined && value <= spec.above) ||
        (spec.max !== undefined && value > spec.max) ||
        (spec.min === undefined && spec.above === undefined && spec.max === undefined &&
          !Number.isFinite(value))
      ) {
        throw new RangeError(what);
      }
    }
  }
  return result as T;
}
