/** Accuracy: what `deno task verify` proved, input by input, for every element-wise activation. */

import type { Route } from "../_route.ts";
import { loadVerify } from "../_verify_results.ts";
import { VerifyTable } from "../components/verify_table.tsx";
import { ACTIVATIONS } from "@nonlin/core";

/** The accuracy page. */
export const route: Route = {
  pattern: "/accuracy",
  paths: () => ["/accuracy"],
  inputs: (context) => [context.verifyResults],
  render: async (_params, context) => {
    const loaded = await loadVerify(context.verifyResults);
    const elementwise = ACTIVATIONS.filter((a) => a.kind === "elementwise").map((a) => a.name);
    const entries = loaded.kind === "ok" ? loaded.results.entries : [];
    const verified = new Set(entries.map((e) => e.name));
    const pending = elementwise.filter((n) => !verified.has(n));
    return {
      title: "Accuracy",
      description:
        "Every float32 input checked: the worst error of each activation and derivative.",
      body: (
        <>
          <h1>Accuracy, verified</h1>
          <p>
            <code>deno task verify</code>{" "}
            runs every element-wise activation, forward and backward (′), on all 2<sup>32</sup>{" "}
            float32 bit patterns and on both kernel paths (the WebAssembly kernels and the
            TypeScript reference), and on a float64 sweep of every binade of both signs and every
            cut-off constant in the code. Each result is measured in units in the last place (ULP)
            against the exact value: two independent float64 implementations where they agree,
            decimal arithmetic where they do not or where a result lies next to a rounding boundary.
            The bounds: float32 reference correctly rounded (≤ 0.5 ULP), float32 kernels ≤ 2 ULP,
            float64 reference ≤ 1 ULP, float64 kernels ≤ 4 ULP, no NaN where a value exists and
            zeros of the right sign.
          </p>
          {loaded.kind === "missing" && (
            <div class="notice">
              <p>
                <strong>No results yet.</strong> Run <code>deno task verify</code>; it writes{" "}
                <code>bench/results/verify.json</code>, which this page shows.
              </p>
            </div>
          )}
          {loaded.kind === "invalid" && (
            <div class="notice">
              <p>
                <strong>The results file could not be read:</strong> {loaded.reason}.
              </p>
            </div>
          )}
          {loaded.kind === "ok" && (
            <>
              <p>
                Run on{" "}
                {loaded.results.machine}. Worst error in ULPs; ✓ meets the bound. A derivative is
                checked with a gradient of 1. Each row names the commit it was computed on: a row
                from earlier code stands for that code only, until the next run redoes it.
              </p>
              <VerifyTable entries={entries} bounds={loaded.results.bounds} />
            </>
          )}
          {pending.length > 0 && (
            <p>
              Not verified exhaustively yet (the run resumes where it stopped):{" "}
              {pending.map((n, i) => (
                <span key={n}>
                  {i > 0 ? ", " : ""}
                  <a href={`/activations/${n}`}>{n}</a>
                </span>
              ))}. Every one of them passes the quick version in every test run (2<sup>20</sup>{" "}
              float32 patterns spanning every exponent, per activation and direction).
            </p>
          )}
        </>
      ),
    };
  },
};
