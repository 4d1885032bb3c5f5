/**
 * Island: softmax of editable logits at an adjustable temperature, as a bar chart, beside the
 * textbook formula `e^x / Σe^x` so the overflow at ±1000 and the handling of -∞ masks show.
 */

import type { VNode } from "preact";
import { useMemo, useState } from "preact/hooks";
import { ACTIVATIONS, tensor } from "@nonlin/core";
import { barChart } from "../_charts.ts";
import { formatNumber, parseNumbers } from "../_format.ts";
import { findActivation } from "../_sample.ts";
import { PlotFigure } from "../components/plot_figure.tsx";

/** Preset logits that each tell part of the story. */
export const PRESETS: readonly { label: string; logits: string }[] = [
  { label: "Ordinary", logits: "2, 1, 0.1, -1" },
  { label: "Huge (+1000)", logits: "1002, 1001, 1000.1, 999" },
  { label: "Tiny (−1000)", logits: "-998, -999, -999.9, -1001" },
  { label: "Masked (−inf)", logits: "2, 1, -inf, -inf" },
];

/** Temperature slider steps: a geometric scale, since what matters is the ratio. */
export const TEMPERATURES: readonly number[] = [
  0.05,
  0.1,
  0.2,
  0.3,
  0.5,
  0.7,
  1,
  1.5,
  2,
  3,
  5,
  10,
];

/** Props of {@linkcode SoftmaxExplorer}. */
export interface SoftmaxExplorerProps {
  /** Initial logits, as text. */
  logits?: string;
  /** Initial index into {@linkcode TEMPERATURES}. @default {6} (T = 1) */
  temperature?: number;
}

/** The textbook softmax, which overflows: kept to show why the library does not use it. */
export function naiveSoftmax(logits: readonly number[]): number[] {
  const exps = logits.map(Math.exp);
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

type Outcome = { logits: number[]; ours: number[]; naive: number[] } | { error: string };

/** Renders the explorer. */
export default function SoftmaxExplorer(props: SoftmaxExplorerProps): VNode {
  const [text, setText] = useState(props.logits ?? PRESETS[0].logits);
  const [tIndex, setTIndex] = useState(props.temperature ?? 6);
  const temperature = TEMPERATURES[tIndex] ?? 1;
  const outcome = useMemo((): Outcome => {
    const info = findActivation(ACTIVATIONS, "softmax");
    try {
      if (!info) throw new Error("This build of @nonlin/core has no softmax");
      const logits = parseNumbers(text, 64);
      const scaled = logits.map((v) => v / temperature);
      const ours = [...info.forward(tensor(scaled), { dim: -1 }).data];
      return { logits, ours, naive: naiveSoftmax(scaled) };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }, [text, temperature]);
  return (
    <div class="explorer softmax">
      <div class="controls-row">
        <label for="softmax-logits" class="wide">
          Logits (comma separated; -inf masks an entry)
          <input
            id="softmax-logits"
            type="text"
            spellcheck={false}
            autoComplete="off"
            value={text}
            aria-invalid={"error" in outcome}
            onInput={(e) => setText((e.target as HTMLInputElement).value)}
          />
        </label>
        <label for="softmax-temperature">
          Temperature T = {temperature}
          <input
            id="softmax-temperature"
            type="range"
            min={0}
            max={TEMPERATURES.length - 1}
            step={1}
            value={tIndex}
            aria-valuetext={`T = ${temperature}`}
            onInput={(e) => setTIndex(Number((e.target as HTMLInputElement).value))}
          />
        </label>
      </div>
      <div class="presets" role="group" aria-label="Preset logits">
        {PRESETS.map((p) => (
          <button key={p.label} type="button" onClick={() => setText(p.logits)}>
            {p.label}
          </button>
        ))}
      </div>
      <div role="status" aria-live="polite">
        {"error" in outcome && <p class="error">{outcome.error}</p>}
      </div>
      {"ours" in outcome && (
        <>
          <PlotFigure
            label={`Softmax probabilities at temperature ${temperature}`}
            plot={barChart(
              outcome.ours.map((p, i) => ({
                label: `x${i} = ${formatNumber(outcome.logits[i], 5)}`,
                value: Number.isFinite(p) ? p : 0,
              })),
              {
                domain: [0, 1],
                valueLabel: "probability",
                showValues: true,
                format: (v) => v.toFixed(3),
              },
            )}
          />
          <div class="table-scroll" tabIndex={0} role="region" aria-label="Softmax values">
            <table class="numbers">
              <thead>
                <tr>
                  <th scope="col">logit</th>
                  <th scope="col">x / T</th>
                  <th scope="col">softmax (nonlin)</th>
                  <th scope="col">e^x / Σe^x (naive)</th>
                </tr>
              </thead>
              <tbody>
                {outcome.logits.map((x, i) => (
                  <tr key={i}>
                    <td>{formatNumber(x)}</td>
                    <td>{formatNumber(x / temperature)}</td>
                    <td data-testid="softmax-prob">{formatNumber(outcome.ours[i])}</td>
                    <td class={Number.isFinite(outcome.naive[i]) ? "" : "bad"}>
                      {formatNumber(outcome.naive[i])}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
