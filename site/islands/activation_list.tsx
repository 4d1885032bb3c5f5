/**
 * Island: every activation grouped by family, with a filter over names, aliases and
 * descriptions (typing "swish" finds SiLU). Two layouts: the `/activations` index, with each
 * family's advice and each entry's summary, and the sidebar of the activation pages, names
 * only, with the page's own entry marked current. Without JavaScript the whole list shows and
 * the filter field stays disabled.
 */

import type { VNode } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { ACTIVATIONS } from "@nonlin/core";
import { byFamily, FAMILIES, matchesQuery, searchText } from "../_activations.ts";

/** Props of {@linkcode ActivationList}. */
export interface ActivationListProps {
  /** `"index"`: the full index page; `"sidebar"`: names only, beside an activation page. */
  variant: "index" | "sidebar";
  /** The activation whose page this is, marked current in the sidebar. */
  current?: string;
}

/** Renders the list and its filter. */
export default function ActivationList(props: ActivationListProps): VNode {
  const [query, setQuery] = useState("");
  // The field works only once hydrated; before that it must not look usable.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const groups = useMemo(() => byFamily(ACTIVATIONS), []);
  const texts = useMemo(() => new Map(ACTIVATIONS.map((a) => [a.name, searchText(a)])), []);
  const shown = (name: string) => matchesQuery(texts.get(name) ?? "", query);
  const count = ACTIVATIONS.filter((a) => shown(a.name)).length;
  const index = props.variant === "index";
  const id = `filter-${props.variant}`;
  const Heading = index ? "h2" : "h3";
  const Group = index ? "section" : "div";
  return (
    <div class={index ? "activation-index" : "activation-sidebar"}>
      <label for={id} class="filter">
        {index ? "Filter by name, alias or description" : "Filter activations"}
        <input
          id={id}
          type="search"
          autoComplete="off"
          spellcheck={false}
          placeholder={index ? "e.g. swish, smooth, probabilities" : "e.g. swish"}
          value={query}
          disabled={!ready}
          aria-controls={`${id}-results`}
          onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
        />
      </label>
      <p class="filter-count" role="status" aria-live="polite">
        {query.trim() === ""
          ? index ? `${ACTIVATIONS.length} activations` : ""
          : count === 0
          ? `No activation matches "${query.trim()}"`
          : `${count} of ${ACTIVATIONS.length} match`}
      </p>
      <div id={`${id}-results`}>
        {groups.map(({ family, members }) => {
          const visible = members.filter((m) => shown(m.name));
          if (visible.length === 0) return null;
          return (
            // Sections only on the index: in the sidebar, six more named regions would only
            // crowd the page's landmarks.
            <Group
              key={family}
              aria-labelledby={index ? `${id}-${family}` : undefined}
              class="family"
            >
              <Heading id={`${id}-${family}`}>{FAMILIES[family].title}</Heading>
              {index && <p class="family-when">{FAMILIES[family].when}</p>}
              <ul>
                {visible.map((info) => (
                  <li key={info.name} data-activation={info.name}>
                    <a
                      href={`/activations/${info.name}`}
                      aria-current={info.name === props.current ? "page" : undefined}
                    >
                      {info.className}
                    </a>
                    {index && (
                      <>
                        {" "}
                        <span class="entry-title">{info.title}</span>
                        {info.aliases.length > 0 && (
                          <span class="aliases">
                            {` (also ${info.aliases.join(", ")})`}
                          </span>
                        )}
                        <span class="entry-summary">{info.summary}</span>
                      </>
                    )}
                  </li>
                ))}
              </ul>
            </Group>
          );
        })}
      </div>
    </div>
  );
}
