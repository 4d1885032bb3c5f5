/**
 * GELU's three forms (exact erf, tanh approximation, sigmoid approximation) against each other,
 * with each approximation's error measured against the exact form in float64.
 */

import type { VNode } from "preact";
import { ACTIVATIONS } from "@nonlin/core";
import { lineChart } from "../_charts.ts";
import { formatNumber } from "../_format.ts";
import { findActivation, sampleActivation } from "../_sample.ts";
import { PlotFigure } from "./plot_figure.tsx";

/** Renders the two charts and the error summary, or nothing if GELU is not registered. */
export function GeluForms(): VNode | null {
  const gelu = findActivation(ACTIVATIONS, "gelu");
  if (!gelu) return null;
  const forms = ["none", "tanh", "sigmoid"] as const;
  const samples = forms.map((approximate) =>
    sampleActivation(gelu, { from: -6, to: 6, count: 481, options: { approximate } })
  );
  const exact = samples[0];
  const errors = samples.slice(1).map((s, i) => ({
    name: forms[i + 1],
    x: s.x,
    y: s.f.map((v, j) => Math.abs(v - exact.f[j])),
  }));
  return (
    <>
      <PlotFigure
        label="GELU: exact, tanh and sigmoid forms from −6 to 6"
        plot={lineChart(
          samples.map((s, i) => ({
            name: `approximate: "${forms[i]}"`,
            x: s.x,
            y: s.f,
            dashed: i > 0,
          })),
          { height: 300 },
        )}
      />
      <PlotFigure
        label="Absolute error of the tanh and sigmoid forms against the exact GELU"
        plot={lineChart(errors.map((e) => ({ ...e, name: `|${e.name} − exact|` })), {
          logY: true,
          height: 260,
          yLabel: "absolute error",
        })}
      />
      <div class="table-scroll" tabIndex={0} role="region" aria-label="GELU forms compared">
        <table class="numbers">
          <thead>
            <tr>
              <th scope="col">Form</th>
              <th scope="col">Largest error on [−6, 6]</th>
              <th scope="col">at x</th>
            </tr>
          </thead>
          <tbody>
            {errors.map((e) => {
              const i = e.y.reduce((best, v, j) => (v > e.y[best] ? j : best), 0);
              return (
                <tr key={e.name}>
                  <th scope="row">
                    <code>{`approximate: "${e.name}"`}</code>
                  </th>
                  <td>{formatNumber(e.y[i], 3)}</td>
                  <td>{formatNumber(e.x[i], 3)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
