// The scratch tile: the TypeScript driver (core/_kernels/wasm/mod.ts) copies arrays through it
// in pieces, so the module's memory never grows. The element-wise drivers step 64 bytes at a
// time, so the tile has 64 bytes of slack after its usable part.

const SCRATCH_BYTES: i32 = 65536;
const SCRATCH: usize = memory.data(SCRATCH_BYTES + 64, 16);

/** Address of the scratch tile. */
export function scratch(): usize {
  return SCRATCH;
}

/** Usable bytes of the scratch tile (64 KiB; 64 more of slack follow). */
export function scratchBytes(): i32 {
  return SCRATCH_BYTES;
}
