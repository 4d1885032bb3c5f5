import assert from "node:assert/strict";
import fc from "fast-check";
import { Tensor, tensor } from "@nonlin/core";
import { decodeNpy, encodeNpy, encodeNpyHeader, npyHeaderLength, parseNpyHeader } from "./npy.ts";
import { handMade } from "./testdata/npy_fixtures.ts";

Deno.test("encodeNpy() and decodeNpy() round-trip every shape and dtype", () => {
  for (const dtype of ["float32", "float64"] as const) {
    for (const shape of [[], [0], [3], [2, 3], [2, 0, 4], [1, 2, 3, 4]]) {
      const size = shape.reduce((a, b) => a * b, 1);
      const values = Array.from({ length: size }, (_, i) => (i % 2 ? -i : i) / 3);
      if (size > 0) values[0] = NaN;
      const x = tensor(values.length ? values : [], { dtype, shape });
      const bytes = encodeNpy(x);
      assert.equal(npyHeaderLength(bytes) % 64, 0, "data aligned to 64 bytes");
      const y = decodeNpy(bytes);
      assert.deepEqual(y.shape, shape);
      assert.equal(y.dtype, dtype);
      assert.deepEqual(y.data, x.data);
    }
  }
});

Deno.test("decodeNpy() keeps every float32 bit pattern", () => {
  fc.assert(
    fc.property(fc.array(fc.float({ noNaN: true }), { maxLength: 50 }), (values) => {
      const x = tensor(values.length ? values : [], { shape: [values.length] });
      const y = decodeNpy(encodeNpy(x), { shared: true });
      assert.ok(y.shared);
      assert.ok(values.every((v, i) => Object.is(y.data[i], Math.fround(v))));
    }),
  );
});

Deno.test("encodeNpyHeader() writes what numpy writes", () => {
  const header = encodeNpyHeader({ dtype: "float64", shape: [2, 3] });
  const text = new TextDecoder().decode(header.subarray(10));
  assert.match(text, /^\{'descr': '<f8', 'fortran_order': False, 'shape': \(2, 3\), \} +\n$/);
  assert.equal(header.length % 64, 0);
  assert.deepEqual([...header.subarray(0, 8)], [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  assert.match(
    new TextDecoder().decode(encodeNpyHeader({ dtype: "float32", shape: [] })),
    /'shape': \(\)/,
  );
  // A header over 64 KiB needs version 2's four-byte length.
  const long = encodeNpyHeader({ dtype: "float32", shape: Array(30000).fill(1) });
  assert.equal(long[6], 2);
  assert.equal(parseNpyHeader(long).shape.length, 30000);
  assert.throws(() => encodeNpyHeader({ dtype: "int8" as "float32", shape: [1] }), RangeError);
  assert.throws(() => encodeNpyHeader({ dtype: "float32", shape: [-1] }), TypeError);
});

Deno.test("parseNpyHeader() reads versions 1, 2 and 3 and Python 2 longs", () => {
  for (const version of [1, 2, 3]) {
    const h = parseNpyHeader(
      handMade("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 5), }", { version }),
    );
    assert.deepEqual(h.shape, [2, 5]);
    assert.deepEqual(h.version, [version, 0]);
    assert.equal(h.dtype, "float32");
  }
  const old = parseNpyHeader(
    handMade(`{"shape": (3L,), "fortran_order": False, "descr": "<f8"}`, { pad: false }),
  );
  assert.deepEqual(old.shape, [3]);
  assert.equal(old.dtype, "float64");
});

Deno.test("parseNpyHeader() rejects what it cannot read, by kind", () => {
  const header = (descr: string, order = "False", shape = "(2,)") =>
    handMade(`{'descr': ${descr}, 'fortran_order': ${order}, 'shape': ${shape}, }`);
  const cases: [Uint8Array, ErrorConstructor, RegExp][] = [
    [new TextEncoder().encode("PK\x03\x04 not numpy at all"), SyntaxError, /magic string/],
    [new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50]), SyntaxError, /magic/],
    [new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 100]), SyntaxError, /prefix/],
    [
      new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 4, 0, 0, 0, 0, 0]),
      SyntaxError,
      /version 4\.0/,
    ],
    [header("'<f4'").subarray(0, 40), SyntaxError, /ends inside its header/],
    [handMade("{'descr': '<f4', 'fortran_order': False, 'shape': (2,"), SyntaxError, /expected/],
    [handMade("{'descr': '<f4', 'shape': (2,), }"), SyntaxError, /keys descr, shape/],
    [
      handMade("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}"),
      SyntaxError,
      /keys/,
    ],
    [handMade("['descr']"), SyntaxError, /expected a dict/],
    [
      handMade("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} junk"),
      SyntaxError,
      /after the dict/,
    ],
    [header("'<f4'", "False", "(-2,)"), SyntaxError, /shape/],
    [header("'<f4'", "1"), SyntaxError, /fortran_order/],
    [header("'<i4'"), TypeError, /dtype '<i4'/],
    [header("'|u1'"), TypeError, /dtype '\|u1'/],
    [header("'<f2'"), TypeError, /dtype '<f2'/],
    [header("'>f4'"), TypeError, /big-endian/],
    [header("'>f8'"), TypeError, /big-endian/],
    [header("[('a', '<f4')]"), TypeError, /structured/],
    [header("'<f4'", "True", "(2, 3)"), TypeError, /Fortran order/],
  ];
  for (const [bytes, kind, message] of cases) {
    assert.throws(() => parseNpyHeader(bytes), (e: Error) => {
      assert.equal(e.constructor, kind, `${e.message}`);
      assert.match(e.message, message);
      return true;
    });
  }
  assert.throws(() => parseNpyHeader("x" as unknown as Uint8Array), TypeError);
});

Deno.test("decodeNpy() rejects a truncated or overlong data section", () => {
  const bytes = encodeNpy(new Tensor(new Float64Array([1, 2, 3]), [3]));
  assert.throws(() => decodeNpy(bytes.subarray(0, bytes.length - 8)), {
    name: "RangeError",
    message: "Cannot read .npy of shape (3): it has 16 bytes of data, expected 24",
  });
  const longer = new Uint8Array(bytes.length + 1);
  longer.set(bytes);
  assert.throws(() => decodeNpy(longer), RangeError);
});
