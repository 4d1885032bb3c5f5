/**
 * A region that scrolls sideways when its content is wider than the screen (tables of numbers
 * on a phone). It can be focused, so keyboard users can scroll it with the arrow keys, and is
 * named, so screen readers announce what it holds; a shadow on the clipped side hints that
 * there is more (see `.table-scroll` in the stylesheet).
 */

import type { ComponentChildren, VNode } from "preact";

/** Props of {@linkcode ScrollArea}. */
export interface ScrollAreaProps {
  /** What the region holds, for its accessible name. */
  label: string;
  /** The content, usually a table. */
  children: ComponentChildren;
}

/** Renders the region. */
export function ScrollArea({ label, children }: ScrollAreaProps): VNode {
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
