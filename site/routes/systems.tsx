/** Systems: the costs of activations in real networks, as calculators. */

import type { Route } from "../_route.ts";
import { Island } from "../components/island.tsx";

/** The systems page. */
export const route: Route = {
  pattern: "/systems",
  paths: () => ["/systems"],
  render: () => ({
    title: "Systems",
    description: "Activation memory, exponentials, sparsity and vanishing gradients, calculated.",
    body: (
      <>
        <h1>Systems</h1>
        <p class="lead">
          An activation is one line of mathematics and, at scale, gigabytes of memory and billions
          of exponentials. These calculators use the registry's cost and cache figures.
        </p>
        <Island name="systems_calculators" props={{ batch: 32 }} />
      </>
    ),
  }),
};
