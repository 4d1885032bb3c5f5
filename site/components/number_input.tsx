/**
 * A number field that keeps what is typed. A controlled `<input type="number">` whose value is
 * re-rendered from the parsed number rewrites the text under the cursor: "0.0" becomes "0" and
 * the next "2" makes 2 of 0.02; "-" parses to nothing and vanishes. Here the text is the field's
 * own state, a value reaches the caller only when the whole text is a valid number, and a
 * message beside the field says what is wrong with anything else. Used inside islands.
 */

import type { VNode } from "preact";
import { useEffect, useState } from "preact/hooks";

/** Props of {@linkcode NumberInput}. */
export interface NumberInputProps {
  id: string;
  /** The current value; `undefined` shows an empty field (only with `allowEmpty`). */
  value: number | undefined;
  /** Called with each valid value as it is typed (`undefined` for an allowed empty field). */
  onValue: (value: number | undefined) => void;
  /** Inclusive bounds. */
  min?: number;
  max?: number;
  /** Exclusive lower bound. */
  above?: number;
  /** Whole numbers only. */
  integer?: boolean;
  /** An empty field is valid and means `undefined` (e.g. "use the default"). */
  allowEmpty?: boolean;
  /** Shown in an empty field. */
  placeholder?: string;
  title?: string;
}

/** The value the text stands for, or why it stands for none. */
export function parseNumberText(
  text: string,
  rules: Pick<NumberInputProps, "min" | "max" | "above" | "integer" | "allowEmpty">,
): { ok: true; value: number | undefined } | { ok: false; message: string } {
  const t = text.trim();
  if (t === "") {
    return rules.allowEmpty
      ? { ok: true, value: undefined }
      : { ok: false, message: "Enter a number" };
  }
  // Number("") is 0 and Number("0x10") is 16: only decimal notation counts as a number here.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) {
    return { ok: false, message: "Not a number" };
  }
  const v = Number(t);
  if (!Number.isFinite(v)) return { ok: false, message: "Too large" };
  if (rules.integer && !Number.isInteger(v)) return { ok: false, message: "Enter a whole number" };
  if (rules.min !== undefined && v < rules.min) {
    return { ok: false, message: `At least ${rules.min}` };
  }
  if (rules.max !== undefined && v > rules.max) {
    return { ok: false, message: `At most ${rules.max}` };
  }
  if (rules.above !== undefined && !(v > rules.above)) {
    return { ok: false, message: `More than ${rules.above}` };
  }
  return { ok: true, value: v };
}

/** The field and its message. */
export function NumberInput(props: NumberInputProps): VNode {
  const shown = props.value === undefined ? "" : String(props.value);
  const [text, setText] = useState(shown);
  const [message, setMessage] = useState<string | undefined>(undefined);
  // A value set from outside (a reset, another control) replaces the text, unless the text
  // already stands for it ("0.50" for 0.5 stays as typed).
  useEffect(() => {
    const r = parseNumberText(text, props);
    const emptied = props.allowEmpty && text.trim() === ""; // means the default: leave it so
    if (!emptied && !(r.ok && r.value === props.value)) {
      setText(shown);
      setMessage(undefined);
    }
  }, [props.value]);
  const check = (t: string, final: boolean) => {
    const r = parseNumberText(t, props);
    if (r.ok) {
      setMessage(undefined);
      if (r.value !== props.value) props.onValue(r.value);
    } else if (final) {
      setMessage(r.message);
    }
  };
  const messageId = `${props.id}-message`;
  return (
    <>
      <input
        id={props.id}
        type="text"
        inputMode="decimal"
        autoComplete="off"
        spellcheck={false}
        value={text}
        placeholder={props.placeholder}
        title={props.title}
        aria-invalid={message !== undefined}
        aria-describedby={message !== undefined ? messageId : undefined}
        onInput={(e) => {
          const t = (e.target as HTMLInputElement).value;
          setText(t);
          check(t, false);
        }}
        onChange={(e) => check((e.target as HTMLInputElement).value, true)}
        onBlur={(e) => check((e.target as HTMLInputElement).value, true)}
      />
      {message !== undefined && (
        <span id={messageId} class="field-message" role="alert">{message}</span>
      )}
    </>
  );
}
