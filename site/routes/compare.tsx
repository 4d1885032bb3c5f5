/** Compare: overlay activations and derivatives; GELU's three forms and their error. */

import { ACTIVATIONS } from "@nonlin/core";
import type { Route } from "../_route.ts";
import { GeluForms } from "../components/gelu_forms.tsx";
import { Island } from "../components/island.tsx";

/** The default selection: the usual suspects, those that exist. */
const DEFAULT = ["relu", "gelu", "silu", "tanh", "sigmoid"];

/** The compare page. */
export const route: Route = {
  pattern: "/compare",
  paths: () => ["/compare"],
  render: () => ({
    title: "Compare activations",
    description: "Overlay activations and their derivatives; GELU's exact and approximate forms.",
    body: (
      <>
        <h1>Compare</h1>
        <section aria-labelledby="overlay">
          <h2 id="overlay">Overlay</h2>
          <p>Pick activations, choose whether to draw f, f′ or both, and widen the range.</p>
          <Island
            name="compare_explorer"
            props={{
              selected: DEFAULT.filter((n) => ACTIVATIONS.some((a) => a.name === n)),
              show: "f",
              range: 3,
            }}
          />
        </section>
        <section aria-labelledby="gelu">
          <h2 id="gelu">GELU: exact, tanh and sigmoid</h2>
          <p>
            The exact GELU needs erf; BERT and GPT-2 used the tanh approximation, and the sigmoid
            form <code>x·σ(1.702x)</code> is cheaper still. Here is what each costs in accuracy.
          </p>
          <GeluForms />
        </section>
      </>
    ),
  }),
};
