/**
 * Island: type numbers, get the library's f(x) and f'(x) for them. Bad input is answered with
 * the reason in words (from the parser or from the library's own validation), never a trace.
 */

import type { VNode } from "preact";
import { useMemo, useState } from "preact/hooks";
import { ACTIVATIONS } from "@nonlin/core";
import { formatNumber, parseNumbers } from "../_format.ts";
import { cleanOptions, defaultOptions, findActivation } from "../_sample.ts";
import { initialInput, tryActivation, type TryTable } from "../_try.ts";
import { OptionControls } from "../components/option_controls.tsx";

/** Props of {@linkcode TryIt}. */
export interface TryItProps {
  /** Registry name of the activation. */
  name: string;
  /** Initial text of the input box. @default {initialInput(info)} */
  input?: string;
}

type Outcome = TryTable | { error: string };

/** Renders the box. */
export default function TryIt(props: TryItProps): VNode {
  const info = findActivation(ACTIVATIONS, props.name);
  const [text, setText] = useState(props.input ?? (info ? initialInput(info) : ""));
  const [dtype, setDtype] = useState<"float32" | "float64">("float32");
  const [options, setOptions] = useState<Record<string, unknown>>(
    info ? defaultOptions(info) : {},
  );
  const outcome = useMemo((): Outcome => {
    if (!info) return { error: `There is no activation named "${props.name}"` };
    try {
      return tryActivation(info, parseNumbers(text), cleanOptions(options), dtype);
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
          : outcome.notes.map((note) => <p class="note" key={note}>{note}</p>)}
      </div>
      {"rows" in outcome && (
        <div class="table-scroll" tabIndex={0} role="region" aria-label="Try-it results">
          <table class="numbers">
            <thead>
              <tr>
                {outcome.headers.map((h) => <th scope="col" key={h}>{h}</th>)}
              </tr>
            </thead>
            <tbody>
              {outcome.rows.map((row, i) => (
                <tr key={i}>
                  {row.map((v, j) => (
                    <td
                      key={j}
                      data-testid={outcome.headers[j].startsWith(`${props.name}(`)
                        ? "try-output"
                        : undefined}
                    >
                      {formatNumber(v)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
