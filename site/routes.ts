/**
 * The route table: every page the site has, in the order the static export writes them.
 * Listed by hand, like Fresh's generated manifest, so a route is type-checked and found without
 * scanning the file system at start-up.
 */

import type { Route } from "./_route.ts";
import { route as home } from "./routes/index.tsx";
import { route as activations } from "./routes/activations/index.tsx";
import { route as activation } from "./routes/activations/[name].tsx";
import { route as api } from "./routes/api.tsx";
import { route as compare } from "./routes/compare.tsx";
import { route as softmax } from "./routes/softmax.tsx";
import { route as parallel } from "./routes/parallel.tsx";
import { route as benchmarks } from "./routes/benchmarks.tsx";
import { route as systems } from "./routes/systems.tsx";
import { route as accuracy } from "./routes/accuracy.tsx";

export type { Route, SiteContext } from "./_route.ts";

/** All routes. */
export const ROUTES: readonly Route[] = [
  home,
  activations,
  activation,
  compare,
  softmax,
  parallel,
  benchmarks,
  accuracy,
  systems,
  api,
];

const compiled = ROUTES.map((route) => ({
  route,
  pattern: new URLPattern({ pathname: route.pattern }),
}));

/** Finds the route for a URL path (trailing slash ignored) and its parameters. */
export function matchRoute(
  path: string,
): { route: Route; params: Record<string, string> } | undefined {
  const normal = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  for (const { route, pattern } of compiled) {
    const match = pattern.exec({ pathname: normal });
    if (match) {
      const params: Record<string, string> = {};
      for (const [key, value] of Object.entries(match.pathname.groups)) {
        if (value !== undefined) params[key] = value;
      }
      return { route, params };
    }
  }
  return undefined;
}
