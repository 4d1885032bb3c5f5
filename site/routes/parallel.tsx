/** Parallel: the worker pool in the browser on a large batch. */

import type { Route } from "../_route.ts";
import { Island } from "../components/island.tsx";

/** The parallel page. */
export const route: Route = {
  pattern: "/parallel",
  paths: () => ["/parallel"],
  render: () => ({
    title: "Parallel",
    description: "An activation over millions of values on all cores, in your browser.",
    body: (
      <>
        <h1>Parallel</h1>
        <p>
          Element-wise activations split cleanly: each worker takes a range of the batch. When the
          page is cross-origin isolated the batch lives in a <code>SharedArrayBuffer</code>{" "}
          and only ranges are sent; otherwise each chunk is transferred, not copied. The run below
          first times one worker, then one per core, and checks that they agree to the bit.
        </p>
        <Island name="parallel_demo" props={{ activation: "gelu", size: 2 }} />
        <p class="note">
          Timings are this browser's, on this machine, now: run it twice and they will differ.
        </p>
      </>
    ),
  }),
};
