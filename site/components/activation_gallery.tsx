/** Every activation as a small card with its plot, linking to its page. Server-rendered only. */

import type { VNode } from "preact";
import type { ActivationInfo } from "@nonlin/core";
import { lineChart } from "../_charts.ts";
import { defaultOptions, sampleActivation, type Samples } from "../_sample.ts";
import { PlotFigure } from "./plot_figure.tsx";

/** Samples an entry for its card; one entry that cannot be sampled must not sink the page. */
function trySample(info: ActivationInfo): Samples | undefined {
  try {
    return sampleActivation(info, { from: -4, to: 4, count: 121, options: defaultOptions(info) });
  } catch {
    return undefined;
  }
}

/** Props of {@linkcode ActivationGallery}. */
export interface ActivationGalleryProps {
  /** The entries to show, in order. */
  activations: readonly ActivationInfo[];
}

/** Renders the gallery grid. */
export function ActivationGallery({ activations }: ActivationGalleryProps): VNode {
  return (
    <ul class="gallery">
      {activations.map((info) => {
        const s = trySample(info);
        return (
          <li key={info.name}>
            <a href={`/activations/${info.name}`}>
              <span class="gallery-title">{info.className}</span>
              {s
                ? (
                  <PlotFigure
                    label={`Plot of ${info.name} and its derivative from −4 to 4`}
                    class="small"
                    widths={{ wide: 220, narrow: 160 }}
                    plot={lineChart(
                      [
                        { name: "f", x: s.x, y: s.f },
                        { name: "f′", x: s.x, y: s.df, dashed: true },
                      ],
                      { compact: true, height: 120 },
                    )}
                  />
                )
                : <span class="note">No plot: this entry cannot be sampled on a line.</span>}
              <span class="gallery-summary">{info.summary}</span>
            </a>
          </li>
        );
      })}
    </ul>
  );
}
