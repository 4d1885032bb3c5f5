/** Softmax: temperature, probabilities, and what happens at ±1000 and with -inf masks. */

import type { Route } from "../_route.ts";
import { Island } from "../components/island.tsx";
import { Tex } from "../components/tex.tsx";

/** The softmax page. */
export const route: Route = {
  pattern: "/softmax",
  paths: () => ["/softmax"],
  render: () => ({
    title: "Softmax",
    description: "Softmax with temperature, editable logits, and its behaviour at ±1000 and -inf.",
    body: (
      <>
        <h1>Softmax</h1>
        <Tex
          tex={String
            .raw`\operatorname{softmax}(x)_i = \frac{e^{x_i / T}}{\sum_j e^{x_j / T}} = \frac{e^{x_i/T - m}}{\sum_j e^{x_j/T - m}},\quad m = \max_j x_j / T`}
          display
        />
        <p>
          Subtracting the maximum changes nothing mathematically and everything numerically: no
          exponent is ever positive, so nothing overflows. Try the presets: at +1000 the textbook
          formula divides infinity by infinity; at −1000 it divides zero by zero. A logit of −∞
          masks its entry to exactly 0.
        </p>
        <Island name="softmax_explorer" props={{ temperature: 6 }} />
      </>
    ),
  }),
};
