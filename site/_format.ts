/** Number formatting and parsing shared by pages and islands. */

/**
 * Formats a number for tables: `NaN`, `∞`, `-0` spelled out, others to `digits` significant
 * digits without trailing zeros.
 *
 * @example Usage
 * ```ts
 * import { formatNumber } from "./_format.ts";
 * import assert from "node:assert/strict";
 * assert.equal(formatNumber(0.5), "0.5");
 * assert.equal(formatNumber(-Infinity), "-∞");
 * ```
 */
export function formatNumber(value: number, digits = 7): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "∞";
  if (value === -Infinity) return "-∞";
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  const abs = Math.abs(value);
  const text = abs >= 1e-4 && abs < 1e7
    ? Number(value.toPrecision(digits)).toString()
    : value.toExponential(digits - 1).replace(/\.?0+e/, "e");
  return text;
}

/** Formats a byte count with binary units. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2)} ${
    units[unit]
  }`;
}

/** Formats a large count with thousands separators or as ×10ⁿ. */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return formatNumber(value);
  if (Math.abs(value) < 1e12) return Math.round(value).toLocaleString("en-US");
  return value.toExponential(3);
}

/**
 * Parses a list of numbers typed by a person: separated by commas, spaces or semicolons, with
 * `inf`, `-inf`, `infinity` and `nan` accepted in any case.
 *
 * Throws a `TypeError` naming the first item that is not a number, and a `RangeError` for an
 * empty list or more than `limit` items.
 *
 * @example Usage
 * ```ts
 * import { parseNumbers } from "./_format.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseNumbers("1, -2e3 inf"), [1, -2000, Infinity]);
 * assert.throws(() => parseNumbers("1, x"), TypeError);
 * ```
 */
export function parseNumbers(text: string, limit = 10_000): number[] {
  const items = text.split(/[\s,;]+/).filter((item) => item !== "");
  if (items.length === 0) {
    throw new RangeError("Cannot evaluate an empty list: type at least one number");
  }
  if (items.length > limit) {
    throw new RangeError(`Cannot evaluate ${items.length} numbers: at most ${limit} at once`);
  }
  return items.map((item, i) => {
    const word = item.toLowerCase().replace(/^\+/, "");
    if (word === "nan" || word === "-nan") return NaN;
    if (word === "inf" || word === "infinity" || word === "∞") return Infinity;
    if (word === "-inf" || word === "-infinity" || word === "-∞") return -Infinity;
    const value = Number(item);
    if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(item) || Number.isNaN(value)) {
      throw new TypeError(
        `Cannot read "${item}" (item ${i + 1}): expected a number such as 1.5, -2e3, inf or nan`,
      );
    }
    return value;
  });
}
