/** Home: what nonlin is, how to start, every activation at a glance, and how it compares. */

import { ACTIVATIONS } from "@nonlin/core";
import type { Route } from "../_route.ts";
import { ActivationGallery } from "../components/activation_gallery.tsx";
import { FeatureTable } from "../components/feature_table.tsx";

const EXAMPLE = `import { gelu, GELU, tensor } from "@nonlin/core";

const x = tensor([-2, -0.5, 0, 0.5, 2]);
gelu(x, { approximate: "tanh" }).toArray();

const layer = new GELU();          // caches what backward needs
const y = layer.forward(x);
const dx = layer.backward(tensor([1, 1, 1, 1, 1]));`;

/** The home page. */
export const route: Route = {
  pattern: "/",
  paths: () => ["/"],
  render: () => ({
    title: "nonlin",
    description:
      "Activation functions for TypeScript: forward and backward, stable at the extremes.",
    body: (
      <>
        <section class="hero">
          <h1>nonlin</h1>
          <p class="lead">
            Activation functions for TypeScript, each with its forward pass, its backward pass and a
            module class that caches what backward needs. Numerically stable at ±1000, with NaN
            passed through, float32 and float64, and a worker pool for large batches.
          </p>
        </section>
        <section aria-labelledby="start">
          <h2 id="start">Quick start</h2>
          <p>Serve this site locally, or run the test suite, with nothing but npm installed:</p>
          <pre
            tabIndex={0}
          ><code>{`npx --yes deno@2.9.6 task start   # serves the site on http://localhost:8000
npx --yes deno@2.9.6 task test    # runs the tests`}</code></pre>
          <p>Then, in code:</p>
          <pre tabIndex={0}><code>{EXAMPLE}</code></pre>
        </section>
        <section aria-labelledby="gallery">
          <h2 id="gallery">Every activation</h2>
          <p>
            Solid: f(x). Dashed: its derivative f′(x). Both computed by the library. Open one for
            its formula, properties, adjustable plot and numerical story.
          </p>
          <ActivationGallery activations={ACTIVATIONS} />
        </section>
        <section aria-labelledby="versus">
          <h2 id="versus">Against PyTorch and TensorFlow.js</h2>
          <FeatureTable activations={ACTIVATIONS} />
        </section>
      </>
    ),
  }),
};
