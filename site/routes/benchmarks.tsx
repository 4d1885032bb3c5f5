/** Benchmarks: the bench's latest results, one chart per group. */

import type { Route } from "../_route.ts";
import {
  type BenchResult,
  loadResults,
  OURS,
  readableDate,
  summaryDots,
} from "../_bench_results.ts";
import { barChart, dotChart } from "../_charts.ts";
import { formatNumber } from "../_format.ts";
import { PlotFigure } from "../components/plot_figure.tsx";

/** The benchmarks page. */
export const route: Route = {
  pattern: "/benchmarks",
  paths: () => ["/benchmarks"],
  inputs: (context) => [context.benchResults],
  render: async (_params, context) => {
    const loaded = await loadResults(context.benchResults);
    const groups = new Map<string, BenchResult[]>();
    if (loaded.kind === "ok") {
      for (const r of loaded.results.results) {
        groups.set(r.group, [...(groups.get(r.group) ?? []), r]);
      }
    }
    return {
      title: "Benchmarks",
      description: "Nanoseconds per element for every activation, from the latest bench run.",
      body: (
        <>
          <h1>Benchmarks</h1>
          {loaded.kind === "missing" && (
            <div class="notice">
              <p>
                <strong>No results yet.</strong> Run the benchmarks with{" "}
                <code>deno task bench</code>; they write{" "}
                <code>bench/results/latest.json</code>, which this page shows.
              </p>
            </div>
          )}
          {loaded.kind === "invalid" && (
            <div class="notice">
              <p>
                <strong>The results file could not be read:</strong>{" "}
                {loaded.reason}. Run the benchmarks again to regenerate it.
              </p>
            </div>
          )}
          {loaded.kind === "ok" && (
            <>
              <p>
                Measured on <strong>{loaded.results.machine}</strong>, on{" "}
                <time dateTime={loaded.results.date}>{readableDate(loaded.results.date)}</time>.
                Figures are for this machine only; "× copy" is the time over that of copying the
                same buffer (<code>dst.set(src)</code>), the memory-bandwidth floor, timed just
                before each run.
              </p>
              <nav class="toc" aria-labelledby="toc-heading">
                <h2 id="toc-heading">Contents</h2>
                <ol>
                  <li>
                    <a href="#summary">Summary: nonlin against the copy limit and its peers</a>
                  </li>
                  {[...groups.keys()].map((group) => (
                    <li key={group}>
                      <a href={`#group-${group}`}>{group}</a>
                    </li>
                  ))}
                </ol>
              </nav>
              <section aria-labelledby="summary">
                <h2 id="summary">Summary</h2>
                <p>
                  Each operation's time as a multiple of copying the buffer (1× is the floor no
                  element-wise pass can beat): nonlin's fastest single-thread float32 figure beside
                  every peer measured in the same run. Further left is faster.
                </p>
                <PlotFigure
                  label="Time per element as a multiple of a buffer copy, per operation: nonlin and its peers"
                  plot={dotChart(summaryDots(loaded.results.results), {
                    logX: true,
                    valueLabel: "× copy (log scale)",
                    rule: { value: 1, label: "copy limit" },
                    first: OURS,
                  })}
                />
              </section>
              {[...groups].map(([group, results]) => (
                <section key={group} aria-labelledby={`group-${group}`}>
                  <h2 id={`group-${group}`}>{group}</h2>
                  <PlotFigure
                    label={`Nanoseconds per element, ${group}`}
                    plot={barChart(
                      results.map((r) => ({ label: r.name, value: r.nsPerElement })),
                      {
                        horizontal: true,
                        valueLabel: "ns per element",
                        showValues: true,
                        format: (v) =>
                          formatNumber(v, 3),
                      },
                    )}
                  />
                  <div
                    class="table-scroll"
                    tabIndex={0}
                    role="region"
                    aria-label={`${group}: table`}
                  >
                    <table class="numbers">
                      <thead>
                        <tr>
                          <th scope="col">Benchmark</th>
                          <th scope="col">ns per element</th>
                          <th scope="col">spread (ns)</th>
                          <th scope="col">× copy</th>
                          <th scope="col">× float32</th>
                        </tr>
                      </thead>
                      <tbody>
                        {results.map((r) => (
                          <tr key={r.name}>
                            <th scope="row">{r.name}</th>
                            <td>{formatNumber(r.nsPerElement, 4)}</td>
                            <td>
                              {r.spread === undefined ? "—" : `±${formatNumber(r.spread, 3)} ns`}
                            </td>
                            <td>
                              {r.copyRatio === undefined ? "—" : `${formatNumber(r.copyRatio, 3)}×`}
                            </td>
                            <td>
                              {r.overFloat32 === undefined
                                ? "—"
                                : `${formatNumber(r.overFloat32, 3)}×`}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </section>
              ))}
            </>
          )}
        </>
      ),
    };
  },
};
