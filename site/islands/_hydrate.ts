/**
 * Browser side of islands: finds every server-rendered instance of one island and hydrates it
 * with the props the server serialised beside it.
 */

import { type ComponentType, h, hydrate } from "preact";

/** Hydrates each `[data-island=name]` element on the page with `component`. */
// deno-lint-ignore no-explicit-any
export function hydrateIslands(name: string, component: ComponentType<any>): void {
  for (const element of document.querySelectorAll<HTMLElement>(`[data-island="${name}"]`)) {
    const script = document.getElementById(element.dataset.props ?? "");
    const props = script?.textContent ? JSON.parse(script.textContent) : {};
    hydrate(h(component, props), element);
    element.dataset.hydrated = "true";
  }
}
