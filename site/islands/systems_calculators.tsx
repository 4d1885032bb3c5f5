/**
 * Island: the systems page's calculators. Activation memory and exponentials per pass of
 * ResNet-50 and BERT-Large, ReLU sparsity on an input distribution, and gradients through deep
 * stacks of saturating activations. Costs and cache sizes come from the registry.
 */

import type { VNode } from "preact";
import { useMemo, useState } from "preact/hooks";
import { ACTIVATIONS, randn, relu } from "@nonlin/core";
import { lineChart } from "../_charts.ts";
import { formatBytes, formatCount, formatNumber } from "../_format.ts";
import { findActivation, sampleActivation } from "../_sample.ts";
import {
  bertLargeSites,
  countElements,
  formatBound,
  gradientLog10,
  MAX_DEPTH,
  reluSparsityNormal,
  reluSparsityUniform,
  resnet50Sites,
} from "../_systems.ts";
import { NumberInput } from "../components/number_input.tsx";
import { PlotFigure } from "../components/plot_figure.tsx";

/** Props of {@linkcode SystemsCalculators}. */
export interface SystemsCalculatorsProps {
  /** Initial batch size. @default {32} */
  batch?: number;
}

const ELEMENTWISE = () => ACTIVATIONS.filter((a) => a.kind === "elementwise");

function numberField(
  id: string,
  label: string,
  value: number,
  set: (v: number) => void,
  attrs: { min?: number; max?: number; above?: number; step?: number | "any" } = {},
): VNode {
  return (
    <label for={id}>
      {label}
      <NumberInput
        id={id}
        value={value}
        onValue={(v) => v !== undefined && set(v)}
        min={attrs.min}
        max={attrs.max}
        above={attrs.above}
        integer={attrs.step === 1}
      />
    </label>
  );
}

function activationSelect(
  id: string,
  label: string,
  value: string,
  set: (v: string) => void,
): VNode {
  return (
    <label for={id}>
      {label}
      <select id={id} value={value} onChange={(e) => set((e.target as HTMLSelectElement).value)}>
        {ELEMENTWISE().map((a) => (
          <option key={a.name} value={a.name} selected={a.name === value}>{a.name}</option>
        ))}
      </select>
    </label>
  );
}

/** Renders all four calculators. */
export default function SystemsCalculators(props: SystemsCalculatorsProps): VNode {
  return (
    <div class="calculators">
      <MemoryCalculator batch={props.batch ?? 32} />
      <SparsityCalculator />
      <GradientCalculator />
    </div>
  );
}

function MemoryCalculator({ batch: initialBatch }: { batch: number }): VNode {
  const [batch, setBatch] = useState(initialBatch);
  const [seq, setSeq] = useState(512);
  const [cnnAct, setCnnAct] = useState("relu");
  const [ffnAct, setFfnAct] = useState("gelu");
  // The fields accept only whole numbers ≥ 1, so the values are used as typed.
  const b = batch;
  const s = seq;
  const rows = useMemo(() => {
    const softmax = findActivation(ACTIVATIONS, "softmax");
    const tanhInfo = findActivation(ACTIVATIONS, "tanh");
    const resnet = resnet50Sites();
    const bert = bertLargeSites(s);
    const infoFor = (role: string, hidden: string) =>
      role === "softmax"
        ? softmax
        : role === "tanh"
        ? tanhInfo
        : findActivation(ACTIVATIONS, hidden);
    const total = (sites: typeof resnet, hidden: string) => {
      let bytes = 0, exps = 0, elements = 0;
      for (const site of sites) {
        const info = infoFor(site.role, hidden);
        elements += site.elements * b;
        bytes += site.elements * b * (info?.caches.bytesPerElement ?? 4);
        exps += site.elements * b * (info?.cost.transcendental ?? 0);
      }
      return { elements, bytes, exps };
    };
    return [
      { model: `ResNet-50, 224×224, ${cnnAct}`, ...total(resnet, cnnAct) },
      { model: `BERT-Large, ${s} tokens, ${ffnAct} + softmax`, ...total(bert, ffnAct) },
      {
        model: `  of which attention softmax`,
        elements: countElements(bert, "softmax") * b,
        bytes: countElements(bert, "softmax") * b * (softmax?.caches.bytesPerElement ?? 4),
        exps: countElements(bert, "softmax") * b * (softmax?.cost.transcendental ?? 1),
      },
    ];
  }, [b, s, cnnAct, ffnAct]);
  return (
    <section aria-labelledby="memory-heading">
      <h2 id="memory-heading">Activation memory and exponentials per forward pass</h2>
      <p>
        Training keeps what each activation's backward needs (its input or its output) until the
        backward pass. Bytes per element and transcendental calls per element are the registry's.
      </p>
      <div class="controls-row">
        {numberField("memory-batch", "Batch size", batch, setBatch, { min: 1, step: 1 })}
        {numberField("memory-seq", "BERT sequence length", seq, setSeq, { min: 1, step: 1 })}
        {activationSelect("memory-cnn", "ResNet activation", cnnAct, setCnnAct)}
        {activationSelect("memory-ffn", "BERT feed-forward activation", ffnAct, setFfnAct)}
      </div>
      <div class="table-scroll" tabIndex={0} role="region" aria-label="Activation memory per model">
        <table class="numbers">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Activation values</th>
              <th scope="col">Cached for backward</th>
              <th scope="col">Transcendental calls</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.model}>
                <th scope="row">{r.model}</th>
                <td>{formatCount(r.elements)}</td>
                <td data-testid="memory-bytes">{formatBytes(r.bytes)}</td>
                <td>{formatCount(r.exps)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function SparsityCalculator(): VNode {
  const [dist, setDist] = useState<"normal" | "uniform">("normal");
  const [a, setA] = useState(0);
  const [b, setB] = useState(1);
  const result = useMemo(() => {
    if (dist === "normal") {
      if (b < 0) return { exact: NaN, measured: undefined };
      const std = b;
      const x = randn([100_000], { seed: 7, mean: a, std });
      const y = relu(x).data;
      let zeros = 0;
      for (const v of y) if (v === 0) zeros++;
      return { exact: reluSparsityNormal(a, std), measured: zeros / y.length };
    }
    return { exact: reluSparsityUniform(a, b), measured: undefined };
  }, [dist, a, b]);
  // Switching to Uniform keeps the numbers typed for Normal; "high" may then not exceed "low".
  const invalid = dist === "normal" ? b < 0 : !(b > a);
  return (
    <section aria-labelledby="sparsity-heading">
      <h2 id="sparsity-heading">How sparse is a ReLU's output?</h2>
      <p>
        ReLU zeroes every non-positive input, so its output is exactly as sparse as the input is
        negative. Sparse outputs compress well and make the next matrix product cheaper.
      </p>
      <div class="controls-row">
        <label for="sparsity-dist">
          Input distribution
          <select
            id="sparsity-dist"
            value={dist}
            onChange={(e) => setDist((e.target as HTMLSelectElement).value as "normal" | "uniform")}
          >
            <option value="normal" selected={dist === "normal"}>Normal(mean, std)</option>
            <option value="uniform" selected={dist === "uniform"}>Uniform(low, high)</option>
          </select>
        </label>
        {numberField("sparsity-a", dist === "normal" ? "Mean" : "Low", a, setA)}
        {dist === "normal"
          ? numberField("sparsity-b", "Standard deviation", b, setB, { min: 0 })
          : numberField("sparsity-b", "High", b, setB, { above: a })}
      </div>
      <p role="status" aria-live="polite">
        {invalid
          ? dist === "normal"
            ? "A standard deviation cannot be negative."
            : "The high end must be above the low end."
          : (
            <>
              Zeros in the output: <strong>{(100 * result.exact).toFixed(2)} %</strong> exactly
              {result.measured !== undefined &&
                `; ${(100 * result.measured).toFixed(2)} % measured by relu() on 100,000 samples`}.
            </>
          )}
      </p>
    </section>
  );
}

function GradientCalculator(): VNode {
  const [depth, setDepth] = useState(20);
  const [weight, setWeight] = useState(1);
  const [name, setName] = useState("sigmoid");
  // The field refuses anything but a whole number in [1, MAX_DEPTH], so depth is used as typed.
  const n = depth;
  const slopes = useMemo(() => {
    const slope = (act: string) => {
      const info = findActivation(ACTIVATIONS, act);
      if (!info) return NaN;
      const s = sampleActivation(info, { from: -10, to: 10, count: 2001 });
      return Math.max(...s.df.map((v) => (Number.isFinite(v) ? Math.abs(v) : 0)));
    };
    return { chosen: slope(name), relu: slope("relu") };
  }, [name]);
  // Plotted as log10 on a linear axis: (w·s)^N leaves float64's range long before N = 10,000.
  const curves = useMemo(() => {
    const depths = Array.from({ length: n + 1 }, (_, i) => i);
    return [
      { name, x: depths, y: depths.map((d) => gradientLog10(slopes.chosen, weight, d)) },
      {
        name: "relu",
        x: depths,
        y: depths.map((d) => gradientLog10(slopes.relu, weight, d)),
        dashed: true,
      },
    ];
  }, [n, weight, slopes, name]);
  const bound = formatBound(gradientLog10(slopes.chosen, weight, n), (v) => formatNumber(v, 4));
  return (
    <section aria-labelledby="gradient-heading">
      <h2 id="gradient-heading">Vanishing gradients through N layers</h2>
      <p>
        Backpropagation multiplies one derivative per layer. If the activation's slope never exceeds
        s and the weights have scale w, a gradient shrinks by at least (w·s) per layer. The largest
        slope is measured from the library's own derivative.
      </p>
      <div class="controls-row">
        {numberField("gradient-depth", "Layers N", depth, setDepth, {
          min: 1,
          max: MAX_DEPTH,
          step: 1,
        })}
        {numberField("gradient-weight", "Weight scale w", weight, setWeight, { min: 0 })}
        {activationSelect("gradient-act", "Activation", name, setName)}
      </div>
      <p role="status" aria-live="polite">
        Largest slope of {name}: <strong>{formatNumber(slopes.chosen, 4)}</strong>. After{" "}
        {n.toLocaleString("en-US")} layers the gradient is at most{" "}
        <strong data-testid="gradient-bound">{bound}</strong> of its size.
      </p>
      <PlotFigure
        label={`Gradient bound against depth, 0 to ${n} layers, for ${name} and relu`}
        plot={lineChart(curves, {
          xLabel: "layers",
          yLabel: "gradient bound",
          height: 260,
          yTickFormat: powerOfTen,
          marginLeft: 72,
        })}
      />
    </section>
  );
}

/** A tick of a log10 axis as the power it stands for: -30 reads "1e-30". */
function powerOfTen(exponent: number): string {
  if (!Number.isInteger(exponent)) return "";
  return exponent === 0 ? "1" : Math.abs(exponent) <= 3 ? String(10 ** exponent) : `1e${exponent}`;
}
