/**
 * Island: a plot of one activation and its derivative, with the x range and the activation's
 * options adjustable. Every redraw evaluates the library itself, so the curves are what the
 * code computes, not a drawing of the formula.
 */

import type { VNode } from "preact";
import { useMemo, useState } from "preact/hooks";
import { ACTIVATIONS } from "@nonlin/core";
import { lineChart } from "../_charts.ts";
import { cleanOptions, findActivation, sampleActivation } from "../_sample.ts";
import { OptionControls } from "../components/option_controls.tsx";
import { PlotFigure } from "../components/plot_figure.tsx";

/** Half-widths the range slider steps through; wide ones show the tails and the ±1000 story. */
export const RANGES: readonly number[] = [1, 2, 3, 5, 8, 10, 20, 50, 100, 1000];

/** Props of {@linkcode FunctionExplorer}. */
export interface FunctionExplorerProps {
  /** Registry name of the activation. */
  name: string;
  /** Initial index into {@linkcode RANGES}. @default {3} */
  range?: number;
  /** Initial option values. */
  options?: Record<string, unknown>;
}

/** Renders the explorer. */
export default function FunctionExplorer(props: FunctionExplorerProps): VNode {
  const info = findActivation(ACTIVATIONS, props.name);
  const [rangeIndex, setRangeIndex] = useState(props.range ?? 3);
  const [options, setOptions] = useState<Record<string, unknown>>(props.options ?? {});
  const half = RANGES[rangeIndex] ?? 5;
  const result = useMemo(() => {
    if (!info) return { error: `There is no activation named "${props.name}"` };
    try {
      return {
        samples: sampleActivation(info, { from: -half, to: half, options: cleanOptions(options) }),
      };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }, [info, half, options]);
  const id = `fx-${props.name}`;
  return (
    <div class="explorer">
      <div class="controls-row">
        <label for={`${id}-range`}>
          x from −{half} to {half}
          <input
            id={`${id}-range`}
            type="range"
            min={0}
            max={RANGES.length - 1}
            step={1}
            value={rangeIndex}
            aria-valuetext={`from −${half} to ${half}`}
            onInput={(e) => setRangeIndex(Number((e.target as HTMLInputElement).value))}
          />
        </label>
        {info && (
          <OptionControls
            specs={info.options}
            values={options}
            onChange={setOptions}
            idPrefix={id}
            hide={["dim"]}
          />
        )}
      </div>
      {"error" in result ? <p class="error" role="alert">{result.error}</p> : (
        <PlotFigure
          label={`${props.name}(x) and its derivative for x from −${half} to ${half}`}
          plot={lineChart([
            { name: `${props.name}(x)`, x: result.samples.x, y: result.samples.f },
            {
              name: `${props.name}′(x)`,
              x: result.samples.x,
              y: result.samples.df,
              dashed: true,
            },
          ])}
        />
      )}
    </div>
  );
}
