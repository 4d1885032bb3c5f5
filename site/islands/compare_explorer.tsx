/**
 * Island: overlay any activations, their derivatives or both, over an adjustable x range.
 * The page lists every activation as a checkbox, so it works as a form without JavaScript too:
 * the server draws the default selection.
 */

import type { VNode } from "preact";
import { useMemo, useRef, useState } from "preact/hooks";
import { ACTIVATIONS } from "@nonlin/core";
import { lineChart, type Series } from "../_charts.ts";
import { formatNumber } from "../_format.ts";
import { pointerIndex, stepIndex } from "../_readout.ts";
import { defaultOptions, findActivation, sampleActivation } from "../_sample.ts";
import { PlotFigure } from "../components/plot_figure.tsx";
import { halfWidth, RangeSlider } from "../components/range_slider.tsx";

/** What to draw for each selected activation. */
export type Show = "f" | "df" | "both";

/** Props of {@linkcode CompareExplorer}. */
export interface CompareExplorerProps {
  /** Initially selected activations. */
  selected: string[];
  /** Initially drawn curves. @default {"f"} */
  show?: Show;
  /** Initial index into the range steps. @default {3} */
  range?: number;
}

/** Renders the comparison. */
export default function CompareExplorer(props: CompareExplorerProps): VNode {
  const [selected, setSelected] = useState<string[]>(props.selected);
  const [show, setShow] = useState<Show>(props.show ?? "f");
  const [rangeIndex, setRangeIndex] = useState(props.range ?? 3);
  const half = halfWidth(rangeIndex);
  const series = useMemo(() => {
    const out: Series[] = [];
    // Checkbox order, so the legend reads like the list; f and f′ share their activation's key
    // and so its colour, told apart by the dash.
    const ordered = ACTIVATIONS.map((a) => a.name).filter((n) => selected.includes(n));
    for (const name of ordered) {
      const info = findActivation(ACTIVATIONS, name);
      if (!info) continue;
      let s;
      try {
        s = sampleActivation(info, { from: -half, to: half, options: defaultOptions(info) });
      } catch {
        continue; // An entry that cannot be drawn on a line is left out, not fatal.
      }
      if (show !== "df") out.push({ name, key: name, x: s.x, y: s.f });
      if (show !== "f") {
        out.push({ name: `${name}′`, key: name, x: s.x, y: s.df, dashed: show === "both" });
      }
    }
    return out;
  }, [selected, show, half]);
  // The read-out's sample index (all series share their x samples); undefined until asked for.
  const [cursor, setCursor] = useState<number | undefined>(undefined);
  const chart = useRef<Element | null>(null);
  const xs = series[0]?.x ?? [];
  const at = cursor !== undefined && cursor < xs.length ? cursor : undefined;
  const toggle = (name: string, on: boolean) =>
    setSelected((current) =>
      on ? [...current.filter((n) => n !== name), name] : current.filter((n) => n !== name)
    );
  return (
    <div class="explorer compare">
      <fieldset class="picker">
        <legend>Activations</legend>
        {ACTIVATIONS.map((info) => (
          <label key={info.name} class="check">
            <input
              type="checkbox"
              name="a"
              value={info.name}
              checked={selected.includes(info.name)}
              onChange={(e) => toggle(info.name, (e.target as HTMLInputElement).checked)}
            />
            {info.name}
          </label>
        ))}
      </fieldset>
      <div class="controls-row">
        <fieldset class="controls">
          <legend>Draw</legend>
          {([["f", "f(x)"], ["df", "f′(x)"], ["both", "both"]] as const).map(([value, label]) => (
            <label key={value} class="check">
              <input
                type="radio"
                name="show"
                value={value}
                checked={show === value}
                onChange={() => setShow(value)}
              />
              {label}
            </label>
          ))}
        </fieldset>
        <RangeSlider id="compare-range" index={rangeIndex} onChange={setRangeIndex} />
      </div>
      {show === "both" && series.length > 0 && (
        <p class="note">One colour per activation: solid f(x), dashed f′(x).</p>
      )}
      {series.length === 0 ? <p class="note">Pick at least one activation.</p> : (
        <>
          <div
            class="plot-interactive"
            tabIndex={0}
            role="group"
            aria-label="Comparison plot: arrow keys move the read-out along x"
            aria-describedby="compare-readout"
            onKeyDown={(e) => {
              const next = stepIndex(e.key, e.shiftKey, cursor, xs.length);
              if (next === undefined) return;
              e.preventDefault();
              setCursor(next);
            }}
            onPointerMove={(e) => {
              const i = chart.current && pointerIndex(chart.current, e, xs);
              if (i !== undefined && i !== null) setCursor(i);
            }}
          >
            <PlotFigure
              label={`Comparison of ${
                ACTIVATIONS.map((a) => a.name).filter((n) => selected.includes(n)).join(", ")
              }${
                show === "both" ? " (solid f, dashed f′)" : show === "df" ? " (derivatives)" : ""
              }`}
              onDraw={(c) => (chart.current = c)}
              plot={lineChart(series, { height: 380, marker: at })}
            />
          </div>
          <p id="compare-readout" class="plot-readout" aria-live="polite" data-testid="readout">
            {at === undefined
              ? "Point at the plot, or focus it and press the arrow keys, to read values."
              : `x = ${formatNumber(xs[at], 5)}: ${
                series.map((s) => `${s.name} = ${formatNumber(s.y[at], 6)}`).join(", ")
              }`}
          </p>
        </>
      )}
    </div>
  );
}
