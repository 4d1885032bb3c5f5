/**
 * Server side of Fresh-style islands: a component rendered to HTML on the server and hydrated
 * in the browser by the island's own bundle.
 *
 * The page renderer provides an {@linkcode IslandCollector}; every `<Island>` in the tree records
 * its name there, so the page loads the scripts of exactly the islands it shows and nothing
 * more. Pages without islands therefore ship no JavaScript at all.
 */

import { createContext, type VNode } from "preact";
import { useContext } from "preact/hooks";
import { type IslandName, type IslandProps, ISLANDS } from "../islands/mod.ts";

/** Records which islands a page rendered. */
export class IslandCollector {
  /** Island names in first-use order. */
  readonly names: IslandName[] = [];
  #next = 0;

  /** Notes that `name` was rendered and returns a page-unique id for its props. */
  use(name: IslandName): string {
    if (!this.names.includes(name)) this.names.push(name);
    return `island-${this.#next++}`;
  }
}

/** Provides the collector of the page being rendered. */
export const IslandContext = createContext<IslandCollector | null>(null);

/** Props of {@linkcode Island}. */
export interface IslandElementProps<N extends IslandName> {
  /** The island, as named in `islands/mod.ts` (its file name without extension). */
  name: N;
  /** Its props; they cross to the browser as JSON, so they must be plain data. */
  props: IslandProps<N>;
}

/** Escapes JSON for a `<script>` element: `</script>` and line separators must not end it. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Renders an island and its serialised props; the browser bundle hydrates it in place. */
export function Island<N extends IslandName>({ name, props }: IslandElementProps<N>): VNode {
  const collector = useContext(IslandContext);
  if (collector === null) {
    throw new Error(`Cannot render island "${name}" outside a page: no IslandContext`);
  }
  const id = collector.use(name);
  // deno-lint-ignore no-explicit-any
  const Component = ISLANDS[name] as any;
  return (
    <>
      <script
        type="application/json"
        id={id}
        dangerouslySetInnerHTML={{ __html: scriptJson(props) }}
      />
      <div class="island" data-island={name} data-props={id}>
        <Component {...props} />
      </div>
    </>
  );
}
