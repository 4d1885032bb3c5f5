/**
 * NumPy's `.npy` format for float32 and float64 arrays: the header (versions 1, 2 and 3) and
 * whole files in memory. The streaming command reads headers with these and the data in chunks.
 *
 * Only little-endian (`<f4`, `<f8`) C-order arrays are read. Errors say what is wrong: a
 * `SyntaxError` for a malformed header, a `TypeError` for a valid header of an unsupported kind
 * (another dtype, big-endian, Fortran order), a `RangeError` for a truncated file.
 *
 * @module
 */

import { type DType, Tensor } from "@nonlin/core";

/** What a `.npy` header says. */
export interface NpyHeader {
  /** Element type: `<f4` is float32, `<f8` float64. */
  dtype: DType;
  /** The array's shape; `[]` for a scalar. */
  shape: number[];
  /** Format version, `[major, minor]`. */
  version: [number, number];
  /** Byte offset of the data: the header's total length. */
  dataOffset: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

const MAX_HEADER = 1 << 20;

/** Length of the fixed prefix that says how long the header is: enough for every version. */
export const NPY_PREFIX_LENGTH = 12;

/** Bytes per element of a dtype. */
export function itemSize(dtype: DType): number {
  return dtype === "float64" ? 8 : 4;
}

function checkBytes(bytes: unknown, fn: string): Uint8Array {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(
      `Cannot call ${fn}() with bytes of type ${typeof bytes}: expected a Uint8Array`,
    );
  }
  return bytes;
}

/**
 * The total header length (the data's offset) from the first bytes of a file, at least
 * {@linkcode NPY_PREFIX_LENGTH} of them, or the whole file if shorter.
 *
 * @example Usage
 * ```ts
 * import { encodeNpyHeader, npyHeaderLength } from "@nonlin/workers";
 * import assert from "node:assert/strict";
 *
 * const header = encodeNpyHeader({ dtype: "float32", shape: [2, 3] });
 * assert.equal(npyHeaderLength(header.subarray(0, 12)), header.length);
 * ```
 */
export function npyHeaderLength(prefix: Uint8Array): number {
  checkBytes(prefix, "npyHeaderLength");
  if (prefix.length < 10 || MAGIC.some((b, i) => prefix[i] !== b)) {
    throw new SyntaxError(
      prefix.length < MAGIC.length || MAGIC.some((b, i) => prefix[i] !== b)
        ? "Cannot read .npy: the file does not start with the magic string \\x93NUMPY"
        : `Cannot read .npy: the file ends inside its ${prefix.length}-byte prefix`,
    );
  }
  const major = prefix[6];
  const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  let length: number;
  if (major === 1) length = 10 + view.getUint16(8, true);
  else if (major === 2 || major === 3) {
    if (prefix.length < 12) {
      throw new SyntaxError(
        `Cannot read .npy: the file ends inside its ${prefix.length}-byte prefix`,
      );
    }
    length = 12 + view.getUint32(8, true);
  } else {
    throw new SyntaxError(
      `Cannot read .npy version ${major}.${prefix[7]}: expected 1.0, 2.0 or 3.0`,
    );
  }
  // NumPy itself refuses headers over 10 kB unless told otherwise; a huge one is corruption.
  if (length > MAX_HEADER) {
    throw new SyntaxError(
      `Cannot read .npy with a ${length}-byte header: expected at most ${MAX_HEADER}`,
    );
  }
  return length;
}

/** A tiny reader for the Python literal of the header: a dict of strings, booleans and tuples. */
class Literal {
  #i = 0;
  constructor(readonly text: string) {}

  fail(what: string): never {
    throw new SyntaxError(
      `Cannot read .npy header ${
        JSON.stringify(this.text.trim())
      }: ${what} at character ${this.#i}`,
    );
  }

  #skip(): void {
    while (this.#i < this.text.length && " \t\r\n".includes(this.text[this.#i])) this.#i++;
  }

  #eat(c: string): boolean {
    this.#skip();
    if (this.text[this.#i] === c) {
      this.#i++;
      return true;
    }
    return false;
  }

  #expect(c: string): void {
    if (!this.#eat(c)) this.fail(`expected ${JSON.stringify(c)}`);
  }

  value(): unknown {
    this.#skip();
    const c = this.text[this.#i];
    if (c === "'" || c === '"') return this.#string();
    if (c === "{") return this.#dict();
    if (c === "(" || c === "[") return this.#sequence(c === "(" ? ")" : "]");
    const m = /^(True|False|None|-?\d+L?)/.exec(this.text.slice(this.#i));
    if (!m) this.fail("expected a value");
    this.#i += m[0].length;
    if (m[0] === "True") return true;
    if (m[0] === "False") return false;
    if (m[0] === "None") return null;
    return Number(m[0].replace("L", ""));
  }

  #string(): string {
    const quote = this.text[this.#i++];
    const end = this.text.indexOf(quote, this.#i);
    if (end < 0) this.fail("unterminated string");
    const s = this.text.slice(this.#i, end);
    this.#i = end + 1;
    return s;
  }

  #dict(): Record<string, unknown> {
    this.#expect("{");
    const out: Record<string, unknown> = {};
    while (!this.#eat("}")) {
      this.#skip();
      const q = this.text[this.#i];
      if (q !== "'" && q !== '"') this.fail("expected a string key");
      const key = this.#string();
      this.#expect(":");
      out[key] = this.value();
      if (!this.#eat(",")) {
        this.#expect("}");
        break;
      }
    }
    return out;
  }

  #sequence(close: string): unknown[] {
    this.#i++;
    const out: unknown[] = [];
    while (!this.#eat(close)) {
      out.push(this.value());
      if (!this.#eat(",")) {
        this.#expect(close);
        break;
      }
    }
    return out;
  }

  end(): void {
    this.#skip();
    if (this.#i !== this.text.length) this.fail("unexpected text after the dict");
  }
}

/**
 * Parses a `.npy` header from the start of a file (at least the whole header).
 *
 * @example Usage
 * ```ts
 * import { encodeNpyHeader, parseNpyHeader } from "@nonlin/workers";
 * import assert from "node:assert/strict";
 *
 * const header = parseNpyHeader(encodeNpyHeader({ dtype: "float64", shape: [4, 5] }));
 * assert.deepEqual(header.shape, [4, 5]);
 * assert.equal(header.dtype, "float64");
 * assert.equal(header.dataOffset % 64, 0);
 * ```
 */
export function parseNpyHeader(bytes: Uint8Array): NpyHeader {
  checkBytes(bytes, "parseNpyHeader");
  const dataOffset = npyHeaderLength(bytes);
  const version: [number, number] = [bytes[6], bytes[7]];
  const start = version[0] === 1 ? 10 : 12;
  if (bytes.length < dataOffset) {
    throw new SyntaxError(
      `Cannot read .npy: the file ends inside its header (${bytes.length} of ${dataOffset} bytes)`,
    );
  }
  const raw = bytes.subarray(start, dataOffset);
  // Versions 1 and 2 are latin-1; version 3 allows UTF-8 (field names in structured dtypes).
  let text = "";
  if (version[0] === 3) text = new TextDecoder().decode(raw);
  else for (const b of raw) text += String.fromCharCode(b);
  const reader = new Literal(text);
  const dict = reader.value();
  reader.end();
  if (dict === null || typeof dict !== "object" || Array.isArray(dict)) {
    reader.fail("expected a dict");
  }
  const d = dict as Record<string, unknown>;
  const keys = Object.keys(d).sort().join(", ");
  if (keys !== "descr, fortran_order, shape") {
    throw new SyntaxError(
      `Cannot read .npy header with keys ${keys || "none"}: expected descr, fortran_order, shape`,
    );
  }
  const { descr, fortran_order: fortran, shape } = d;
  if (typeof descr !== "string") {
    throw new TypeError(`Cannot read .npy of a structured dtype: expected '<f4' or '<f8'`);
  }
  if (typeof fortran !== "boolean") {
    throw new SyntaxError(
      `Cannot read .npy header: fortran_order is ${String(fortran)}, expected True or False`,
    );
  }
  if (!Array.isArray(shape) || !shape.every((s) => Number.isInteger(s) && s >= 0)) {
    throw new SyntaxError(`Cannot read .npy header: shape is not a tuple of non-negative integers`);
  }
  let dtype: DType;
  if (descr === "<f4") dtype = "float32";
  else if (descr === "<f8") dtype = "float64";
  else if (descr === ">f4" || descr === ">f8") {
    throw new TypeError(
      `Cannot read .npy of dtype '${descr}': big-endian data is not supported, expected '<f4' or '<f8'`,
    );
  } else {
    throw new TypeError(
      `Cannot read .npy of dtype '${descr}': expected '<f4' (float32) or '<f8' (float64)`,
    );
  }
  if (fortran) {
    throw new TypeError(
      `Cannot read .npy in Fortran order: expected C order (fortran_order False)`,
    );
  }
  let size = 1;
  for (const s of shape) size *= s;
  if (!Number.isSafeInteger(size * itemSize(dtype))) {
    throw new RangeError(`Cannot read .npy of shape (${shape.join(", ")}): too many elements`);
  }
  return { dtype, shape: shape as number[], version, dataOffset };
}

/** Options of {@linkcode encodeNpyHeader}. */
export interface NpyHeaderOptions {
  /** Element type. */
  dtype: DType;
  /** The array's shape. */
  shape: readonly number[];
}

/**
 * Encodes a `.npy` header as NumPy writes it: version 1.0 (2.0 when the header outgrows 64 KiB),
 * padded with spaces to a multiple of 64 bytes so that the data is aligned.
 *
 * @example Usage
 * ```ts
 * import { encodeNpyHeader } from "@nonlin/workers";
 * import assert from "node:assert/strict";
 *
 * const header = encodeNpyHeader({ dtype: "float32", shape: [3] });
 * assert.equal(header.length % 64, 0);
 * assert.match(new TextDecoder().decode(header), /'descr': '<f4', 'fortran_order': False, 'shape': \(3,\)/);
 * ```
 */
export function encodeNpyHeader(options: NpyHeaderOptions): Uint8Array {
  const { dtype, shape } = options;
  if (dtype !== "float32" && dtype !== "float64") {
    throw new RangeError(
      `Cannot encode .npy of dtype ${JSON.stringify(dtype)}: expected "float32" or "float64"`,
    );
  }
  if (!Array.isArray(shape) || !shape.every((s) => Number.isInteger(s) && s >= 0)) {
    throw new TypeError(
      `Cannot encode .npy of shape ${String(shape)}: expected an array of non-negative integers`,
    );
  }
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  const dict = `{'descr': '${
    dtype === "float64" ? "<f8" : "<f4"
  }', 'fortran_order': False, 'shape': ${tuple}, }`;
  const v1 = Math.ceil((10 + dict.length + 1) / 64) * 64 - 10 <= 0xffff;
  const prefix = v1 ? 10 : 12;
  const total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  const out = new Uint8Array(total);
  out.set(MAGIC);
  out[6] = v1 ? 1 : 2;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (v1) view.setUint16(8, total - prefix, true);
  else view.setUint32(8, total - prefix, true);
  const text = dict + " ".repeat(total - prefix - dict.length - 1) + "\n";
  for (let i = 0; i < text.length; i++) out[prefix + i] = text.charCodeAt(i);
  return out;
}

/**
 * The bytes of a `.npy` file holding `x`.
 *
 * @example Usage
 * ```ts
 * import { decodeNpy, encodeNpy } from "@nonlin/workers";
 * import { tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([[1, 2], [3, 4]], { dtype: "float64" });
 * assert.deepEqual(decodeNpy(encodeNpy(x)).toArray(), [[1, 2], [3, 4]]);
 * ```
 */
export function encodeNpy(x: Tensor): Uint8Array {
  if (!(x instanceof Tensor)) {
    throw new TypeError(`Cannot encode .npy from ${typeof x}: expected a Tensor`);
  }
  checkLittleEndian();
  const header = encodeNpyHeader({ dtype: x.dtype, shape: x.shape });
  const out = new Uint8Array(header.length + x.data.byteLength);
  out.set(header);
  out.set(new Uint8Array(x.data.buffer, x.data.byteOffset, x.data.byteLength), header.length);
  return out;
}

/** Options of {@linkcode decodeNpy}. */
export interface DecodeNpyOptions {
  /** Put the data in a SharedArrayBuffer, ready for the worker pool. @default {false} */
  shared?: boolean;
}

/**
 * Reads a whole `.npy` file from its bytes.
 *
 * @example Usage
 * ```ts
 * import { decodeNpy, encodeNpy } from "@nonlin/workers";
 * import { tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const bytes = encodeNpy(tensor([1, 2, 3]));
 * assert.deepEqual(decodeNpy(bytes).toArray(), [1, 2, 3]);
 * assert.throws(() => decodeNpy(bytes.subarray(0, bytes.length - 1)), RangeError);
 * ```
 */
export function decodeNpy(bytes: Uint8Array, options: DecodeNpyOptions = {}): Tensor {
  const header = parseNpyHeader(bytes);
  checkLittleEndian();
  let size = 1;
  for (const s of header.shape) size *= s;
  const expected = size * itemSize(header.dtype);
  const got = bytes.length - header.dataOffset;
  if (got !== expected) {
    throw new RangeError(
      `Cannot read .npy of shape (${
        header.shape.join(", ")
      }): it has ${got} bytes of data, expected ${expected}`,
    );
  }
  const buffer = options.shared ? new SharedArrayBuffer(expected) : new ArrayBuffer(expected);
  new Uint8Array(buffer).set(bytes.subarray(header.dataOffset));
  const data = header.dtype === "float64" ? new Float64Array(buffer) : new Float32Array(buffer);
  return new Tensor(data, header.shape);
}

/** Typed arrays use the host's byte order; `.npy` files here are little-endian. */
export function checkLittleEndian(): void {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    throw new TypeError(
      "Cannot read or write .npy on a big-endian machine: expected little-endian",
    );
  }
}
