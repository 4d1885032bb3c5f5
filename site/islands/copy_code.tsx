/**
 * Island: a short piece of code with a button that copies it. Without JavaScript, or where
 * the clipboard is refused, the code is still there to select by hand, and the button says so.
 */

import type { VNode } from "preact";
import { useEffect, useState } from "preact/hooks";

/** Props of {@linkcode CopyCode}. */
export interface CopyCodeProps {
  /** The code, one line or several. */
  code: string;
  /** What the code is for, naming the button ("Copy the Deno command"). */
  label: string;
}

/** Renders the code and its copy button. */
export default function CopyCode({ code, label }: CopyCodeProps): VNode {
  const [ready, setReady] = useState(false);
  const [said, setSaid] = useState("");
  useEffect(() => setReady(true), []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(code);
      setSaid("Copied");
    } catch {
      // Refused (no permission, an insecure origin): selecting the text lets Ctrl-C finish it.
      const node = document.activeElement?.closest(".copy-code")?.querySelector("code");
      if (node) getSelection()?.selectAllChildren(node);
      setSaid("Selected: press Ctrl-C (⌘-C) to copy");
    }
  };
  return (
    <div class="copy-code">
      {/* Focusable: a long line scrolls sideways on a phone, and keys must reach it too. */}
      <pre tabIndex={0}><code>{code}</code></pre>
      <button
        type="button"
        disabled={!ready}
        aria-label={`Copy: ${label}`}
        onClick={copy}
        onBlur={() => setSaid("")}
      >
        Copy
      </button>
      <span class="copy-status" role="status" aria-live="polite">{said}</span>
    </div>
  );
}
