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
  return <Tag class="math" dangerouslySetInnerHTML={{ __html: renderTex(tex, { display }) }} />;
}
