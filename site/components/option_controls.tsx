/**
 * Labelled form controls for an activation's options, generated from its option specs:
 * a number field for numbers, a select for enums, a checkbox for booleans. Used inside islands.
 */

import type { VNode } from "preact";
import type { ActivationInfo } from "@nonlin/core";

/** One option spec of a registry entry. */
export type OptionSpec = ActivationInfo["options"][number];

/** Props of {@linkcode OptionControls}. */
export interface OptionControlsProps {
  /** The specs, straight from the registry entry. */
  specs: readonly OptionSpec[];
  /** Current values by option name. */
  values: Record<string, unknown>;
  /** Called with the new complete values object when one control changes. */
  onChange: (values: Record<string, unknown>) => void;
  /** Prefix for element ids, unique on the page. */
  idPrefix: string;
  /** Options not to show (e.g. `dim` where the page fixes it). */
  hide?: readonly string[];
}

/** The options of a spec list as a row of labelled controls. */
export function OptionControls(props: OptionControlsProps): VNode | null {
  const specs = props.specs.filter((s) => !props.hide?.includes(s.name));
  if (specs.length === 0) return null;
  const set = (name: string, value: unknown) => props.onChange({ ...props.values, [name]: value });
  return (
    <fieldset class="controls">
      <legend>Options</legend>
      {specs.map((spec) => {
        const id = `${props.idPrefix}-${spec.name}`;
        const value = props.values[spec.name];
        if (spec.kind === "enum") {
          // `selected` on the option as well as `value` on the select: the server's HTML must
          // show the choice by itself, since hydration adopts the DOM without setting values.
          return (
            <label key={spec.name} for={id} title={spec.description}>
              {spec.name}
              <select
                id={id}
                value={String(value ?? spec.default ?? "")}
                onChange={(e) => set(spec.name, (e.target as HTMLSelectElement).value)}
              >
                {(spec.values ?? []).map((v) => (
                  <option key={v} value={v} selected={v === String(value ?? spec.default)}>
                    {v}
                  </option>
                ))}
              </select>
            </label>
          );
        }
        if (spec.kind === "boolean") {
          return (
            <label key={spec.name} for={id} title={spec.description} class="check">
              <input
                id={id}
                type="checkbox"
                checked={Boolean(value ?? spec.default)}
                onChange={(e) => set(spec.name, (e.target as HTMLInputElement).checked)}
              />
              {spec.name}
            </label>
          );
        }
        return (
          <label key={spec.name} for={id} title={spec.description}>
            {spec.name}
            <input
              id={id}
              type="number"
              inputMode="decimal"
              step={spec.kind === "integer" ? 1 : "any"}
              min={spec.min}
              max={spec.max}
              value={value === undefined ? "" : String(value)}
              onInput={(e) => {
                const text = (e.target as HTMLInputElement).value;
                // An emptied field means "use the default"; the library fills it in.
                set(spec.name, text.trim() === "" ? undefined : Number(text));
              }}
            />
          </label>
        );
      })}
    </fieldset>
  );
}
