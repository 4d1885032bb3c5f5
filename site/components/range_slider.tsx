/** The x-range slider the explorers share: it steps through {@linkcode RANGES}. */

import type { VNode } from "preact";

/** Half-widths the range slider steps through; wide ones show the tails and the ±1000 story. */
export const RANGES: readonly number[] = [1, 2, 3, 5, 8, 10, 20, 50, 100, 1000];

/** The half-width at `index` into {@linkcode RANGES}, 5 for an index out of range. */
export function halfWidth(index: number): number {
  return RANGES[index] ?? 5;
}

/** Props of {@linkcode RangeSlider}. */
export interface RangeSliderProps {
  /** The input's id (its label points at it). */
  id: string;
  /** Current index into {@linkcode RANGES}. */
  index: number;
  /** Called with the new index. */
  onChange(index: number): void;
}

/** A labelled slider for the plotted x range, −half to half. */
export function RangeSlider({ id, index, onChange }: RangeSliderProps): VNode {
  const half = halfWidth(index);
  return (
    <label for={id}>
      x from −{half} to {half}
      <input
        id={id}
        type="range"
        min={0}
        max={RANGES.length - 1}
        step={1}
        value={index}
        aria-valuetext={`from −${half} to ${half}`}
        onInput={(e) => onChange(Number((e.target as HTMLInputElement).value))}
      />
    </label>
  );
}
