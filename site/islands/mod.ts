/**
 * The island manifest: every island by name. A name is its file name without extension, which
 * is how the asset build finds the file to bundle for the browser.
 *
 * @module
 */

import type { ComponentProps } from "preact";
import ActivationList from "./activation_list.tsx";
import CompareExplorer from "./compare_explorer.tsx";
import CopyCode from "./copy_code.tsx";
import FunctionExplorer from "./function_explorer.tsx";
import ParallelDemo from "./parallel_demo.tsx";
import SoftmaxExplorer from "./softmax_explorer.tsx";
import SystemsCalculators from "./systems_calculators.tsx";
import TryIt from "./try_it.tsx";

/** Every island component by name. */
export const ISLANDS = {
  activation_list: ActivationList,
  compare_explorer: CompareExplorer,
  copy_code: CopyCode,
  function_explorer: FunctionExplorer,
  parallel_demo: ParallelDemo,
  softmax_explorer: SoftmaxExplorer,
  systems_calculators: SystemsCalculators,
  try_it: TryIt,
} as const;

/** The name of an island. */
export type IslandName = keyof typeof ISLANDS;

/** The props of island `N`. */
export type IslandProps<N extends IslandName> = ComponentProps<(typeof ISLANDS)[N]>;
