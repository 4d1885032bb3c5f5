/**
 * The exhaustive verification's figures as a table: per activation variant and direction, the
 * worst error of each path and dtype against its bound, NaN and signed-zero checks, and the
 * float32 inputs checked. Used by the accuracy page and each activation page.
 */

import type { VNode } from "preact";
import type { VerifyEntry, VerifyResults, VerifyTally } from "../_verify_results.ts";

function ulps(t: VerifyTally): string {
  if (!Number.isFinite(t.worst)) return "∞";
  return t.worst === 0 ? "0" : t.worst.toFixed(3);
}

function cell(t: VerifyTally, bound: number, nearest = false) {
  const ok = nearest ? t.over05 === 0 : t.worst <= bound;
  return (
    <td class={ok ? "pass" : "fail"}>
      {ulps(t)} {ok ? "✓" : "✗"}
      {nearest && t.over05 > 0 ? ` (${t.over05.toLocaleString("en")} not nearest)` : ""}
    </td>
  );
}

function row(
  e: VerifyEntry,
  b: { float32Kernel: number; float64Reference: number; float64Kernel: number },
) {
  const clean = [e.float32, e.float64].every((p) =>
    p.reference.nan + p.kernel.nan + p.reference.zeroSign + p.kernel.zeroSign + p.pathZeroSign === 0
  );
  return (
    <tr key={`${e.id} ${e.direction}`}>
      <th scope="row">
        <a href={`/activations/${e.name}`}>{e.id}</a>
        {e.direction === "backward" ? " ′" : ""}
      </th>
      {cell(e.float32.reference, 0.5, true)}
      {cell(e.float32.kernel, b.float32Kernel)}
      {cell(e.float64.reference, b.float64Reference)}
      {cell(e.float64.kernel, b.float64Kernel)}
      <td class={clean ? "pass" : "fail"}>{clean ? "✓" : "✗"}</td>
      <td>{e.float32.inputs.toLocaleString("en")}</td>
      <td>
        <code>{e.commit}</code>
      </td>
    </tr>
  );
}

/** Props of {@linkcode VerifyTable}. */
export interface VerifyTableProps {
  entries: readonly VerifyEntry[];
  bounds: VerifyResults["bounds"];
}

/** The table, in a focusable scroll region. */
export function VerifyTable(props: VerifyTableProps): VNode {
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label="Verified accuracy">
      <table class="numbers">
        <thead>
          <tr>
            <th scope="col">activation</th>
            <th scope="col">float32 reference</th>
            <th scope="col">float32 kernel</th>
            <th scope="col">float64 reference</th>
            <th scope="col">float64 kernel</th>
            <th scope="col">NaN, ±0</th>
            <th scope="col">float32 inputs</th>
            <th scope="col">code (commit)</th>
          </tr>
        </thead>
        <tbody>{props.entries.map((e) => row(e, props.bounds))}</tbody>
      </table>
    </div>
  );
}
