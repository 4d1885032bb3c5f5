/** The page for any URL the site does not have. */

import type { Page } from "../render.tsx";

/** Builds the 404 page. */
export function notFoundPage(): Page {
  return {
    title: "Page not found",
    description: "There is no page at this address.",
    status: 404,
    body: (
      <section class="prose">
        <h1>Page not found</h1>
        <p>
          There is no page at this address. Try the{" "}
          <a href="/">home page</a>, which lists every activation, or the{" "}
          <a href="/api/">API reference</a>.
        </p>
      </section>
    ),
  };
}
