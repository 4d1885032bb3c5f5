/**
 * Imported first by the reference-path test files: they hold the TypeScript kernels to their
 * tighter bounds (1 ULP float32, 2 ULP float64). `kernels_test.ts` covers the WebAssembly path.
 * Each test module runs in its own isolate, so the switch stays local to the importing file.
 */

import { setKernels } from "../kernels.ts";

setKernels("reference");
