/**
 * Reading `bench/results/verify.json`, the exhaustive accuracy verification's results
 * (`deno task verify`), checking the shape the accuracy page relies on.
 */

/** What one path's results came to. */
export interface VerifyTally {
  checked: number;
  worst: number;
  worstX: number;
  over05: number;
  over1: number;
  over2: number;
  nan: number;
  zeroSign: number;
}

/** One dtype of one entry. */
export interface VerifyPart {
  inputs: number;
  seconds: number;
  decimal: number;
  pathZeroSign: number;
  reference: VerifyTally;
  kernel: VerifyTally;
}

/** One activation variant in one direction. */
export interface VerifyEntry {
  id: string;
  name: string;
  direction: "forward" | "backward";
  commit: string;
  finished: string;
  float32: VerifyPart;
  float64: VerifyPart;
}

/** The file. */
export interface VerifyResults {
  command: string;
  machine: string;
  bounds: {
    float32Reference: number;
    float32Kernel: number;
    float64Reference: number;
    float64Kernel: number;
  };
  entries: VerifyEntry[];
}

/** What the accuracy page can show. */
export type LoadedVerify =
  | { kind: "ok"; results: VerifyResults }
  | { kind: "missing" }
  | { kind: "invalid"; reason: string };

const SPECIAL: Record<string, number> = {
  NaN: NaN,
  Infinity: Infinity,
  "-Infinity": -Infinity,
  "-0": -0,
};

/** Reads and checks the file at `path`. */
export async function loadVerify(path: string): Promise<LoadedVerify> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { kind: "missing" };
    return { kind: "invalid", reason: (e as Error).message };
  }
  let value: unknown;
  try {
    value = JSON.parse(text, (_k, v) => (typeof v === "string" && v in SPECIAL ? SPECIAL[v] : v));
  } catch (e) {
    return { kind: "invalid", reason: `not JSON: ${(e as Error).message}` };
  }
  const v = value as Partial<VerifyResults>;
  if (v === null || typeof v !== "object" || !Array.isArray(v.entries)) {
    return { kind: "invalid", reason: `expected an object with "entries"` };
  }
  for (const e of v.entries) {
    if (typeof e?.id !== "string" || typeof e.float32?.reference?.worst !== "number") {
      return { kind: "invalid", reason: `an entry lacks "id" or "float32.reference.worst"` };
    }
  }
  return { kind: "ok", results: v as VerifyResults };
}
