/**
 * The API reference's landing page: how to install, each module with its import specifier,
 * and every activation with its function, its class and its guide page.
 */

import { ACTIVATIONS } from "@nonlin/core";
import type { Route } from "../_route.ts";
import { apiModules } from "../_api.ts";
import { installSnippets, PACKAGE } from "../_activations.ts";
import { documentedModules } from "../assets.ts";
import { Island } from "../components/island.tsx";
import { ScrollArea } from "../components/scroll_area.tsx";

/** URL of a symbol's page in the API reference that `deno doc --html` writes. */
export function apiUrl(symbol: string): string {
  return `/api/core/mod.ts/~/${symbol}.html`;
}

/** The API landing page. */
export const route: Route = {
  pattern: "/api",
  paths: () => ["/api/"],
  render: async () => {
    const modules = await apiModules(await documentedModules());
    const install = installSnippets(ACTIVATIONS[0]).slice(0, 2);
    return {
      title: "API reference",
      description: "Every module and activation of nonlin, with its import and its reference page.",
      body: (
        <>
          <h1>API reference</h1>
          <p class="lead">
            The reference is generated from the source by{" "}
            <code>deno doc</code>; every example in it runs in the test suite. Start from a module
            or from an activation.
          </p>
          <section aria-labelledby="install">
            <h2 id="install">Install</h2>
            {install.map((s) => (
              <div key={s.label}>
                <p class="snippet-label">{s.label}</p>
                <Island name="copy_code" props={{ code: s.code, label: s.label }} />
              </div>
            ))}
          </section>
          <section aria-labelledby="modules">
            <h2 id="modules">Modules</h2>
            <dl class="modules">
              {modules.map((m) => (
                <div key={m.file}>
                  <dt>
                    <a href={m.url}>
                      <code>{m.specifier}</code>
                    </a>
                  </dt>
                  <dd>{m.summary}</dd>
                </div>
              ))}
            </dl>
            <p>
              Or browse <a href="/api/all_symbols.html">all symbols</a>.
            </p>
          </section>
          <section aria-labelledby="activations">
            <h2 id="activations">Activations</h2>
            <p>
              Each has a function (forward), its <code>…Backward</code>{" "}
              function and a module class that caches what backward needs, all imported from{" "}
              <code>{PACKAGE}</code>. The guide page has its plot, formula, shape and a try-it box.
            </p>
            <ScrollArea label="Activations and their API pages">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Guide</th>
                    <th scope="col">Function</th>
                    <th scope="col">Class</th>
                    <th scope="col">Import</th>
                  </tr>
                </thead>
                <tbody>
                  {ACTIVATIONS.map((a) => (
                    <tr key={a.name}>
                      <th scope="row">
                        <a href={`/activations/${a.name}`}>{a.title}</a>
                      </th>
                      <td>
                        <a href={apiUrl(a.name)}>
                          <code>{a.name}()</code>
                        </a>
                      </td>
                      <td>
                        <a href={apiUrl(a.className)}>
                          <code>{a.className}</code>
                        </a>
                      </td>
                      <td>
                        <code class="nowrap">
                          {`import { ${a.name}, ${a.className} } from "${PACKAGE}";`}
                        </code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollArea>
          </section>
        </>
      ),
    };
  },
};
