// Lane arithmetic every kernel shares, and the constants that belong to no one concept.
//
// Constants live in memory, one named slot each, and are read with k64() or k32(), never written
// as v128 literals: V8 rematerialises every v128.const inside a loop.

/** The 64-bit constant (float64 or i64) stored at `at`, on both lanes. */
@inline export function k64(at: usize): v128 { return v128.load64_splat(at); }
/** The 32-bit constant (float32 or i32) stored at `at`, on all four lanes. */
@inline export function k32(at: usize): v128 { return v128.load32_splat(at); }

// ---- float64 constants ------------------------------------------------------------------------

/** +0: its bits are zero, so it is +0 on float32 lanes too. */
export const ZERO: usize = memory.data<f64>([0.0]);
export const ONE: usize = memory.data<f64>([1.0]);
export const HALF: usize = memory.data<f64>([0.5]);
export const NEG_HALF: usize = memory.data<f64>([-0.5]);
export const TWO: usize = memory.data<f64>([2.0]);
export const NEG_TWO: usize = memory.data<f64>([-2.0]);
export const THREE: usize = memory.data<f64>([3.0]);
export const NEG_FOUR: usize = memory.data<f64>([-4.0]);
export const SIX: usize = memory.data<f64>([6.0]);
export const SIXTH: usize = memory.data<f64>([0.16666666666666666]);
export const INFINITY: usize = memory.data<f64>([Infinity]);
/**
 * Floor for an outer factor x, as in x·sigmoid(x): any activation of this shape is -0 there
 * already, and the floor keeps f(-inf) = -0 where -inf·0 would be NaN.
 */
export const FACTOR_FLOOR: usize = memory.data<f64>([-2000.0]);
/** The matching cap above. */
export const FACTOR_CAP: usize = memory.data<f64>([2000.0]);
/** |x| past which tanh(x) is ±1 and mish(x) is x in float64; caps their exp arguments. */
export const SATURATION: usize = memory.data<f64>([20.0]);
/** The float64 sign bit (an i64). */
export const SIGN: usize = memory.data<i64>([0x8000000000000000]);

// ---- float32 constants ------------------------------------------------------------------------

/** FACTOR_FLOOR as a float32. */
export const F_FACTOR_FLOOR: usize = memory.data<f32>([-2000.0]);
/** SATURATION as a float32. */
export const F_SATURATION: usize = memory.data<f32>([20.0]);
/** The float32 sign bit (an i32). */
export const F_SIGN: usize = memory.data<i32>([0x80000000]);

// ---- float64 lanes ----------------------------------------------------------------------------

@inline export function add(a: v128, b: v128): v128 { return f64x2.add(a, b); }
@inline export function sub(a: v128, b: v128): v128 { return f64x2.sub(a, b); }
@inline export function mul(a: v128, b: v128): v128 { return f64x2.mul(a, b); }
@inline export function div(a: v128, b: v128): v128 { return f64x2.div(a, b); }
/** Clamps below, keeping NaN (pmax returns its first operand unless it is less). */
@inline export function atLeast(x: v128, lo: v128): v128 { return f64x2.pmax(x, lo); }
/** Clamps above, keeping NaN. */
@inline export function atMost(x: v128, hi: v128): v128 { return f64x2.pmin(x, hi); }
@inline export function select(mask: v128, a: v128, b: v128): v128 { return v128.bitselect(a, b, mask); }
/** -|x|. */
@inline export function negAbs(x: v128): v128 { return v128.or(x, k64(SIGN)); }

// ---- float32 lanes, and float32 lanes on float64 ones -----------------------------------------

@inline export function fadd(a: v128, b: v128): v128 { return f32x4.add(a, b); }
@inline export function fsub(a: v128, b: v128): v128 { return f32x4.sub(a, b); }
@inline export function fmul(a: v128, b: v128): v128 { return f32x4.mul(a, b); }
/** Float32 lanes 0, 1 on float64 lanes. */
@inline export function fLo(x: v128): v128 { return f64x2.promote_low_f32x4(x); }
/** Float32 lanes 2, 3 on float64 lanes. */
@inline export function fHi(x: v128): v128 { return f64x2.promote_low_f32x4(i32x4.shuffle(x, x, 2, 3, 2, 3)); }
/** Two float64 vectors rounded to one of float32, a's lanes first. */
@inline export function pack(a: v128, b: v128): v128 {
  return i32x4.shuffle(f32x4.demote_f64x2_zero(a), f32x4.demote_f64x2_zero(b), 0, 1, 4, 5);
}
/** Float32 elements p[0..1] on float64 lanes. */
@inline export function lo32(p: usize): v128 { return f64x2.promote_low_f32x4(v128.load64_zero(p)); }
/** Float32 elements p[2..3] on float64 lanes. */
@inline export function hi32(p: usize): v128 { return f64x2.promote_low_f32x4(v128.load64_zero(p, 8)); }
/** Stores pack(a, b) at p. */
@inline export function store32(p: usize, a: v128, b: v128): void { v128.store(p, pack(a, b)); }
