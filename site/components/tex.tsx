/** A formula typeset by KaTeX on the server. Not for islands: KaTeX stays off the browser. */

import type { VNode } from "preact";
import { renderTex } from "../_katex.ts";

/** Props of {@linkcode Tex}. */
export interface TexProps {
  /** LaTeX source. */
  tex: string;
  /** Typeset as a display (block) formula. @default {false} */
  display?: boolean;
}

/** Renders LaTeX as HTML with MathML. */
export function Tex({ tex, display = false }: TexProps): VNode {
  const Tag = display ? "div" : "span";
  // A display formula can be wider than a phone and then scrolls: focusable, so the keyboard
  // can scroll it too.
  return (
    <Tag
      class="math"
      tabIndex={display ? 0 : undefined}
      dangerouslySetInnerHTML={{ __html: renderTex(tex, { display }) }}
    />
  );
}
