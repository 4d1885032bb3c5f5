/** One page per registry entry: formulas, properties, live plot, try-it box, stability story. */

import { type ActivationInfo, ACTIVATIONS } from "@nonlin/core";
import type { Route } from "../../_route.ts";
import { installSnippets, resolveActivation, shapeNote } from "../../_activations.ts";
import { defaultOptions, startValue } from "../../_sample.ts";
import { apiUrl } from "../api.tsx";
import { ScrollArea } from "../../components/scroll_area.tsx";
import { Island } from "../../components/island.tsx";
import { PropertyTable } from "../../components/property_table.tsx";
import { StabilityTable } from "../../components/stability_table.tsx";
import { Tex } from "../../components/tex.tsx";
import { type LoadedVerify, loadVerify } from "../../_verify_results.ts";
import { VerifyTable } from "../../components/verify_table.tsx";

/** The exhaustive verification's figures for one activation, where it has finished them. */
function VerifiedAccuracy(props: { name: string; loaded: LoadedVerify }) {
  if (props.loaded.kind !== "ok") return <NotVerified name={props.name} />;
  const entries = props.loaded.results.entries.filter((e) => e.name === props.name);
  if (entries.length === 0) return <NotVerified name={props.name} />;
  return (
    <>
      <p>
        Verified on all 2<sup>32</sup> float32 inputs and a float64 sweep (worst error in ULPs; see
        {" "}
        <a href="/accuracy">Accuracy</a>):
      </p>
      <VerifyTable entries={entries} bounds={props.loaded.results.bounds} />
    </>
  );
}

function NotVerified(props: { name: string }) {
  return (
    <p>
      Exhaustive verification: not run yet for {props.name} (see <a href="/accuracy">Accuracy</a>).
    </p>
  );
}

/** The input and output shapes, PyTorch's "Shape" note, from the registry's shape behaviour. */
function ShapeNote({ info }: { info: ActivationInfo }) {
  const { input, output } = shapeNote(info);
  return (
    <dl class="result">
      <dt>Input</dt>
      <dd>{input}</dd>
      <dt>Output</dt>
      <dd>{output}</dd>
      {info.shape.positionDependent && (
        <>
          <dt>Note</dt>
          <dd>
            With some options an output also depends on its position (one parameter per channel, dim
            1), so such a call needs the channel dim and runs on the whole tensor.
          </dd>
        </>
      )}
    </dl>
  );
}

/** The papers that introduced the activation, from the registry. */
function References({ info }: { info: ActivationInfo }) {
  return (
    <ol class="references">
      {info.references.map((r) => (
        <li key={r.title}>
          {r.authors} ({r.year}). {r.url ? <a href={r.url}>{r.title}</a> : <cite>{r.title}</cite>}.
        </li>
      ))}
    </ol>
  );
}

/** The activation pages. */
export const route: Route = {
  pattern: "/activations/:name",
  paths: () => ACTIVATIONS.map((a) => `/activations/${a.name}`),
  inputs: (context) => [context.verifyResults],
  redirect: ({ name }) => {
    const info = resolveActivation(ACTIVATIONS, name);
    return info && info.name !== name ? `/activations/${info.name}` : undefined;
  },
  render: async ({ name }, context) => {
    const index = ACTIVATIONS.findIndex((a) => a.name === name);
    if (index < 0) return null;
    const verified = await loadVerify(context.verifyResults);
    const info = ACTIVATIONS[index];
    const previous = ACTIVATIONS[index - 1];
    const next = ACTIVATIONS[index + 1];
    const optionsText = info.options.length
      ? `, { ${info.options.map((o) => `${o.name}: ${JSON.stringify(startValue(o))}`).join(", ")} }`
      : "";
    const usage = `import { ${info.name}, ${info.className}, tensor } from "@nonlin/core";

const x = tensor([-1, 0, 1]);
const y = ${info.name}(x${optionsText});

const layer = new ${info.className}(${optionsText.slice(2)});
layer.forward(x);
const dx = layer.backward(tensor([1, 1, 1]));`;
    return {
      title: `${info.className}: ${info.title}`,
      description: info.summary,
      body: (
        <div class="with-sidebar">
          <article class="activation">
            <header>
              <p class="kicker">
                <code>{info.name}()</code> · <code>new {info.className}()</code>
              </p>
              <h1>{info.title}</h1>
              <p class="lead">{info.summary}</p>
            </header>
            <div class="two-col">
              <section aria-labelledby="formula">
                <h2 id="formula">Formula</h2>
                <Tex tex={`f(x) = ${info.formula.f}`} display />
                <Tex tex={`f'(x) = ${info.formula.df}`} display />
              </section>
              <section aria-labelledby="props">
                <h2 id="props">Properties</h2>
                <PropertyTable info={info} />
              </section>
            </div>
            {info.options.length > 0 && (
              <section aria-labelledby="options">
                <h2 id="options">Options</h2>
                <ScrollArea label="Table of options">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">Name</th>
                        <th scope="col">Kind</th>
                        <th scope="col">Default</th>
                        <th scope="col">Description</th>
                      </tr>
                    </thead>
                    <tbody>
                      {info.options.map((o) => (
                        <tr key={o.name}>
                          <th scope="row">
                            <code>{o.name}</code>
                          </th>
                          <td>{o.kind === "enum" ? (o.values ?? []).join(" | ") : o.kind}</td>
                          <td>
                            {o.default === undefined
                              ? "required"
                              : <code>{JSON.stringify(o.default)}</code>}
                          </td>
                          <td>{o.description}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </ScrollArea>
              </section>
            )}
            <section aria-labelledby="shape">
              <h2 id="shape">Shape</h2>
              <ShapeNote info={info} />
            </section>
            <section aria-labelledby="plot">
              <h2 id="plot">Plot</h2>
              <Island
                name="function_explorer"
                props={{ name: info.name, range: 3, options: defaultOptions(info) }}
              />
            </section>
            <section aria-labelledby="try">
              <h2 id="try">Try it</h2>
              <Island name="try_it" props={{ name: info.name }} />
            </section>
            <section aria-labelledby="stability">
              <h2 id="stability">Numerical stability</h2>
              <StabilityTable info={info} />
              <VerifiedAccuracy name={info.name} loaded={verified} />
            </section>
            <section aria-labelledby="install">
              <h2 id="install">Install and import</h2>
              {installSnippets(info).map((s) => (
                <div key={s.label}>
                  <p class="snippet-label">{s.label}</p>
                  <Island name="copy_code" props={{ code: s.code, label: s.label }} />
                </div>
              ))}
            </section>
            <section aria-labelledby="usage">
              <h2 id="usage">Usage</h2>
              <pre tabIndex={0}><code>{usage}</code></pre>
              <p>
                Full signatures in the API reference:{" "}
                <a href={apiUrl(info.name)}>
                  <code>{info.name}()</code>
                </a>{" "}
                and{" "}
                <a href={apiUrl(info.className)}>
                  <code>{info.className}</code>
                </a>.
              </p>
            </section>
            {info.references.length > 0 && (
              <section aria-labelledby="references">
                <h2 id="references">References</h2>
                <References info={info} />
              </section>
            )}
            <nav class="pager" aria-label="Previous and next activation">
              {previous && (
                <a href={`/activations/${previous.name}`} rel="prev">← {previous.className}</a>
              )}
              {next && <a href={`/activations/${next.name}`} rel="next">{next.className} →</a>}
            </nav>
          </article>
          <nav class="sidebar" aria-label="Activations">
            <p class="sidebar-title">
              <a href="/activations">All activations</a>
            </p>
            <Island name="activation_list" props={{ variant: "sidebar", current: info.name }} />
          </nav>
        </div>
      ),
    };
  },
};
