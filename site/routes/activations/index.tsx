/** `/activations`: every activation grouped by family, with when to use each, and a filter. */

import { ACTIVATIONS } from "@nonlin/core";
import type { Route } from "../../_route.ts";
import { Island } from "../../components/island.tsx";

/** The activations index. */
export const route: Route = {
  pattern: "/activations",
  paths: () => ["/activations"],
  render: () => ({
    title: "Activations",
    description: `All ${ACTIVATIONS.length} activations of nonlin, grouped by family.`,
    body: (
      <>
        <h1>Activations</h1>
        <p class="lead">
          All {ACTIVATIONS.length}{" "}
          activations, grouped by family, with when to reach for each. Every page has the formula, a
          live plot, the input and output shapes, a try-it box and the numerical story.
        </p>
        <Island name="activation_list" props={{ variant: "index" }} />
      </>
    ),
  }),
};
