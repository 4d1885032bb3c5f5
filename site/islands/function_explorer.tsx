/**
 * Island: a plot of one activation and its derivative, with the x range and the activation's
 * options adjustable. Every redraw evaluates the library itself, so the curves are what the
 * code computes, not a drawing of the formula.
 */

import type { VNode } from "preact";
import { useMemo, useRef, useState } from "preact/hooks";
import { ACTIVATIONS } from "@nonlin/core";
import { lineChart } from "../_charts.ts";
import { formatNumber } from "../_format.ts";
import { pointerIndex, stepIndex } from "../_readout.ts";
import { cleanOptions, findActivation, sampleActivation } from "../_sample.ts";
import { OptionControls } from "../components/option_controls.tsx";
import { PlotFigure } from "../components/plot_figure.tsx";
import { halfWidth, RangeSlider } from "../components/range_slider.tsx";

/** Props of {@linkcode FunctionExplorer}. */
export interface FunctionExplorerProps {
  /** Registry name of the activation. */
  name: string;
  /** Initial index into the range slider's steps. @default {3} */
  range?: number;
  /** Initial option values. */
  options?: Record<string, unknown>;
}

/** Renders the explorer. */
export default function FunctionExplorer(props: FunctionExplorerProps): VNode {
  const info = findActivation(ACTIVATIONS, props.name);
  const [rangeIndex, setRangeIndex] = useState(props.range ?? 3);
  const [options, setOptions] = useState<Record<string, unknown>>(props.options ?? {});
  const half = halfWidth(rangeIndex);
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
  // The read-out's sample index; undefined until the pointer or the keyboard asks for one.
  const [cursor, setCursor] = useState<number | undefined>(undefined);
  const chart = useRef<Element | null>(null);
  const samples = "samples" in result ? result.samples : undefined;
  const at = samples && cursor !== undefined && cursor < samples.x.length ? cursor : undefined;
  return (
    <div class="explorer">
      <div class="controls-row">
        <RangeSlider id={`${id}-range`} index={rangeIndex} onChange={setRangeIndex} />
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
        <>
          <div
            class="plot-interactive"
            tabIndex={0}
            role="group"
            aria-label={`Plot of ${props.name}: arrow keys move the read-out along x`}
            aria-describedby={`${id}-readout`}
            onKeyDown={(e) => {
              const next = stepIndex(e.key, e.shiftKey, cursor, result.samples.x.length);
              if (next === undefined) return;
              e.preventDefault();
              setCursor(next);
            }}
            onPointerMove={(e) => {
              const i = chart.current && pointerIndex(chart.current, e, result.samples.x);
              if (i !== undefined && i !== null) setCursor(i);
            }}
          >
            <PlotFigure
              label={`${props.name}(x) and its derivative for x from −${half} to ${half}`}
              onDraw={(c) => (chart.current = c)}
              plot={lineChart([
                { name: `${props.name}(x)`, x: result.samples.x, y: result.samples.f },
                {
                  name: `${props.name}′(x)`,
                  x: result.samples.x,
                  y: result.samples.df,
                  dashed: true,
                },
              ], { marker: at })}
            />
          </div>
          <p id={`${id}-readout`} class="plot-readout" aria-live="polite" data-testid="readout">
            {at === undefined || !samples
              ? "Point at the plot, or focus it and press the arrow keys, to read values."
              : `x = ${formatNumber(samples.x[at], 5)}, ${props.name}(x) = ${
                formatNumber(samples.f[at], 6)
              }, ${props.name}′(x) = ${formatNumber(samples.df[at], 6)}`}
          </p>
        </>
      )}
    </div>
  );
}
