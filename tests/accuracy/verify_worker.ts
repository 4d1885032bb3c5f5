/**
 * A worker of `deno task verify`: receives units of work, answers with their results.
 *
 * @module
 */

import { verificationCases } from "./cases.ts";
import { runUnit, type Unit } from "./plan.ts";

const cases = new Map((await verificationCases()).map((c) => [c.id, c]));
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<Unit>) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = (event: MessageEvent<Unit>) => {
  const unit = event.data;
  const c = cases.get(unit.caseId);
  try {
    if (c === undefined) throw new Error(`No verification case ${unit.caseId}`);
    const t0 = performance.now();
    const result = runUnit(c, unit);
    scope.postMessage({ ok: true, unit, result, ms: performance.now() - t0 });
  } catch (error) {
    scope.postMessage({ ok: false, unit, error: String((error as Error)?.stack ?? error) });
  }
};

// Messages that arrive while the module is still loading (the await above) find no handler and
// are lost: the command sends work only after this.
scope.postMessage({ ready: true });
