/**
 * Island: type numbers, get the library's f(x) and f'(x) for them. Bad input is answered with
 * the reason in words (from the parser or from the library's own validation), never a trace.
 */

import type { VNode } from "preact";
import { useMemo, useState } from "preact/hooks";
import { ACTIVATIONS, tensor } from "@nonlin/core";
import { formatNumber, parseNumbers } from "../_format.ts";
import { cleanOptions, evaluateAt, findActivation } from "../_sample.ts";
import { OptionControls } from "../components/option_controls.tsx";

/** Props of {@linkcode TryIt}. */
export interface TryItProps {
  /** Registry name of the activation. */
  name: string;
  /** Initial text of the input box. @default {"-1000, -2, -0.5, 0, 0.5, 2, 1000, nan"} */
  input?: string;
}

type Outcome =
  | { rows: { x: number; f: number; df?: number }[]; note?: string }
  | { error: string };

/** Renders the box. */
export default function TryIt(props: TryItProps): VNode {
  const info = findActivation(ACTIVATIONS, props.name);
  const [text, setText] = useState(props.input ?? "-1000, -2, -0.5, 0, 0.5, 2, 1000, nan");
  const [dtype, setDtype] = useState<"float32" | "float64">("float32");
  const [options, setOptions] = useState<Record<string, unknown>>({});
  const outcome = useMemo((): Outcome => {
    if (!info) return { error: `There is no activation named "${props.name}"` };
    try {
      const xs = parseNumbers(text);
      const opts = cleanOptions(options);
      if (info.kind === "reduction") {
        // A reduction maps the whole vector at once, so there is no per-element derivative.
        const y = info.forward(tensor(xs, { dtype }), opts);
        return {
          rows: [...y.data].map((f, i) => ({ x: xs[i] ?? NaN, f })),
          note: `${props.name} reads the list as one vector.`,
        };
      }
      const { f, df } = evaluateAt(info, xs, opts, dtype);
      return { rows: xs.map((x, i) => ({ x, f: f[i], df: df[i] })) };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }, [info, text, dtype, options]);
  const id = `try-${props.name}`;
  return (
    <div class="try-it">
      <div class="controls-row">
        <label for={`${id}-input`} class="wide">
          Inputs (numbers separated by commas or spaces; inf and nan allowed)
          <input
            id={`${id}-input`}
            type="text"
            spellcheck={false}
            autoComplete="off"
            value={text}
            aria-describedby={`${id}-status`}
            aria-invalid={"error" in outcome}
            onInput={(e) => setText((e.target as HTMLInputElement).value)}
          />
        </label>
        <label for={`${id}-dtype`}>
          dtype
          <select
            id={`${id}-dtype`}
            value={dtype}
            onChange={(e) =>
              setDtype((e.target as HTMLSelectElement).value as "float32" | "float64")}
          >
            <option value="float32" selected={dtype === "float32"}>float32</option>
            <option value="float64" selected={dtype === "float64"}>float64</option>
          </select>
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
      <div id={`${id}-status`} role="status" aria-live="polite">
        {"error" in outcome
          ? <p class="error">{outcome.error}</p>
          : outcome.note && <p class="note">{outcome.note}</p>}
      </div>
      {"rows" in outcome && (
        <div class="table-scroll">
          <table class="numbers">
            <thead>
              <tr>
                <th scope="col">x</th>
                <th scope="col">{props.name}(x)</th>
                {info?.kind === "elementwise" && <th scope="col">{props.name}′(x)</th>}
              </tr>
            </thead>
            <tbody>
              {outcome.rows.map((row, i) => (
                <tr key={i}>
                  <td>{formatNumber(row.x)}</td>
                  <td data-testid="try-output">{formatNumber(row.f)}</td>
                  {row.df !== undefined && <td>{formatNumber(row.df)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
