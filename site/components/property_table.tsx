/** An activation's properties as a definition list: range, shape, cost, memory. */

import type { VNode } from "preact";
import type { ActivationInfo } from "@nonlin/core";

const yesNo = (value: boolean) => (value ? "yes" : "no");

/** Props of {@linkcode PropertyTable}. */
export interface PropertyTableProps {
  /** The activation. */
  info: ActivationInfo;
}

/** Renders the properties. */
export function PropertyTable({ info }: PropertyTableProps): VNode {
  const { properties: p, cost, caches } = info;
  return (
    <dl class="properties">
      <dt>Range</dt>
      <dd>{info.range}</dd>
      <dt>Monotonic</dt>
      <dd>{yesNo(p.monotonic)}</dd>
      <dt>Zero-centred</dt>
      <dd>{yesNo(p.zeroCentred)}</dd>
      <dt>Smooth</dt>
      <dd>{yesNo(p.smooth)}</dd>
      <dt>Bounded</dt>
      <dd>{yesNo(p.bounded)}</dd>
      <dt>Kind</dt>
      <dd>{info.kind === "elementwise" ? "element-wise" : "reduction along a dimension"}</dd>
      <dt>Cost per element</dt>
      <dd>
        {cost.transcendental} transcendental, {cost.arithmetic} arithmetic
      </dd>
      <dt>Cached for backward</dt>
      <dd>
        {caches.what === "none"
          ? "nothing"
          : `its ${caches.what}: ${caches.bytesPerElement} bytes per element (float32)`}
      </dd>
    </dl>
  );
}
