/**
 * Labelled form controls for an activation's options, generated from its option specs:
 * a number field for numbers, a select for enums, a checkbox for booleans. Used inside islands.
 */

import type { VNode } from "preact";
import type { ActivationInfo } from "@nonlin/core";
import { NumberInput } from "./number_input.tsx";

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
        // The field shows the value drawn with (the default, or a required option's start
        // value); emptied, it means "use the default", which a required option does not have.
        const fallback = typeof spec.default === "number" ? spec.default : undefined;
        const required = spec.default === undefined;
        return (
          <label key={spec.name} for={id} title={spec.description}>
            {spec.name}
            <NumberInput
              id={id}
              value={typeof value === "number" ? value : fallback}
              onValue={(v) => set(spec.name, v)}
              min={spec.min}
              max={spec.max}
              above={spec.above}
              integer={spec.kind === "integer"}
              allowEmpty={!required}
              placeholder={required ? "required" : String(fallback)}
            />
          </label>
        );
      })}
    </fieldset>
  );
}
