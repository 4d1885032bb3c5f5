/**
 * Island: runs an activation over a large batch on one worker, then on one worker per core,
 * shows progress, checks that both give the same numbers, and reports the measured speedup.
 * Without JavaScript or workers it says so instead of pretending.
 */

import type { VNode } from "preact";
import { useState } from "preact/hooks";
import { ACTIVATIONS, randn } from "@nonlin/core";
import { formatCount } from "../_format.ts";
import { type BatchRunner, createLibraryPool } from "./_pool.ts";

/** Batch sizes offered, in elements. */
export const SIZES: readonly number[] = [250_000, 1_000_000, 4_000_000, 16_000_000];

/** Props of {@linkcode ParallelDemo}. */
export interface ParallelDemoProps {
  /** Initial activation. @default {"gelu"} */
  activation?: string;
  /** Initial index into {@linkcode SIZES}. @default {2} */
  size?: number;
}

type Phase =
  | { kind: "idle" }
  | { kind: "running"; step: string; done: number; total: number }
  | {
    kind: "done";
    oneMs: number;
    manyMs: number;
    threads: number;
    shared: boolean;
    maxDiff: number;
  }
  | { kind: "error"; message: string };

/** URL of the pool's worker bundle, built beside the islands. */
function workerUrl(): URL {
  return new URL("/build/islands/_pool_worker.js", location.href);
}

/** Renders the demo. */
export default function ParallelDemo(props: ParallelDemoProps): VNode {
  const [activation, setActivation] = useState(props.activation ?? "gelu");
  const [sizeIndex, setSizeIndex] = useState(props.size ?? 2);
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const elementwise = ACTIVATIONS.filter((a) => a.kind === "elementwise");
  const size = SIZES[sizeIndex] ?? SIZES[0];

  async function run() {
    const threads = Math.max(2, Math.min(8, globalThis.navigator?.hardwareConcurrency ?? 2));
    const pools: BatchRunner[] = [];
    try {
      const input = randn([size], { seed: 42 }).data as Float32Array;
      const measure = async (pool: BatchRunner, step: string) => {
        // A small warm-up run first, so compilation is not billed to the measured run.
        await pool.run(activation, {}, input.subarray(0, 4096));
        const started = performance.now();
        const out = await pool.run(
          activation,
          {},
          input,
          (done, total) => setPhase({ kind: "running", step, done, total }),
        );
        return { out, ms: performance.now() - started };
      };
      setPhase({ kind: "running", step: "Starting workers", done: 0, total: 1 });
      const one = createLibraryPool({ threads: 1, workerUrl: workerUrl() });
      pools.push(one);
      const a = await measure(one, "One thread");
      const many = createLibraryPool({ threads, workerUrl: workerUrl() });
      pools.push(many);
      const b = await measure(many, `${threads} threads`);
      let maxDiff = 0;
      for (let i = 0; i < a.out.length; i++) {
        const d = Math.abs(a.out[i] - b.out[i]);
        if (d > maxDiff || Number.isNaN(d)) maxDiff = d;
      }
      setPhase({
        kind: "done",
        oneMs: a.ms,
        manyMs: b.ms,
        threads,
        shared: many.shared,
        maxDiff,
      });
    } catch (error) {
      setPhase({ kind: "error", message: error instanceof Error ? error.message : String(error) });
    } finally {
      for (const pool of pools) pool.close();
    }
  }

  const running = phase.kind === "running";
  return (
    <div class="explorer parallel">
      <div class="controls-row">
        <label for="parallel-activation">
          Activation
          <select
            id="parallel-activation"
            value={activation}
            disabled={running}
            onChange={(e) => setActivation((e.target as HTMLSelectElement).value)}
          >
            {elementwise.map((a) => (
              <option key={a.name} value={a.name} selected={a.name === activation}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label for="parallel-size">
          Batch of {formatCount(size)} float32 values
          <input
            id="parallel-size"
            type="range"
            min={0}
            max={SIZES.length - 1}
            step={1}
            value={sizeIndex}
            disabled={running}
            aria-valuetext={`${formatCount(size)} values`}
            onInput={(e) => setSizeIndex(Number((e.target as HTMLInputElement).value))}
          />
        </label>
        <button type="button" class="primary" onClick={run} disabled={running}>
          {running ? "Running…" : "Run"}
        </button>
      </div>
      <div role="status" aria-live="polite" class="parallel-status">
        {phase.kind === "idle" && (
          <p class="note">Press Run to time one worker against one per core (needs JavaScript).</p>
        )}
        {phase.kind === "running" && (
          <label>
            {phase.step}: {phase.done} of {phase.total} chunks
            <progress value={phase.done} max={phase.total} />
          </label>
        )}
        {phase.kind === "error" && <p class="error">{phase.message}</p>}
        {phase.kind === "done" && (
          <dl class="result" data-testid="parallel-result">
            <dt>One thread</dt>
            <dd>{phase.oneMs.toFixed(1)} ms</dd>
            <dt>{phase.threads} threads</dt>
            <dd>{phase.manyMs.toFixed(1)} ms</dd>
            <dt>Speedup</dt>
            <dd>{(phase.oneMs / Math.max(phase.manyMs, 1e-3)).toFixed(2)}×</dd>
            <dt>Memory</dt>
            <dd>
              {phase.shared
                ? "shared (no copies)"
                : "copied per chunk (page not cross-origin isolated)"}
            </dd>
            <dt>Largest difference between the runs</dt>
            <dd>{phase.maxDiff === 0 ? "0 (identical)" : String(phase.maxDiff)}</dd>
          </dl>
        )}
      </div>
    </div>
  );
}
