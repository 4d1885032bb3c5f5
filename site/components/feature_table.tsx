/**
 * nonlin against PyTorch and TensorFlow.js: general features, then activation by activation.
 * The per-activation rows are generated from the registry; the other two columns come from
 * the lists below of each library's own names.
 */

import type { VNode } from "preact";
import type { ActivationInfo } from "@nonlin/core";

/** `torch.nn` module classes (PyTorch 2.x), by nonlin class name. */
const TORCH_NN = new Set([
  "ReLU",
  "ReLU6",
  "LeakyReLU",
  "PReLU",
  "RReLU",
  "ELU",
  "SELU",
  "CELU",
  "GELU",
  "SiLU",
  "Mish",
  "Softplus",
  "Softsign",
  "Sigmoid",
  "Tanh",
  "Hardtanh",
  "Hardsigmoid",
  "Hardswish",
  "LogSigmoid",
  "Softmax",
  "LogSoftmax",
  "Softmin",
  "Softmax2d",
  "GLU",
  "Threshold",
  "Tanhshrink",
  "Softshrink",
  "Hardshrink",
]);

/** TensorFlow.js core ops (`tf.*`), by nonlin functional name. */
const TFJS_OPS: Record<string, string> = {
  relu: "tf.relu",
  relu6: "tf.relu6",
  leakyRelu: "tf.leakyRelu",
  prelu: "tf.prelu",
  elu: "tf.elu",
  selu: "tf.selu",
  sigmoid: "tf.sigmoid",
  tanh: "tf.tanh",
  softplus: "tf.softplus",
  logSigmoid: "tf.logSigmoid",
  softmax: "tf.softmax",
  logSoftmax: "tf.logSoftmax",
};

const GENERAL: readonly [string, string, string, string][] = [
  ["Language", "TypeScript", "Python (C++ core)", "JavaScript"],
  ["Runs in the browser", "yes", "no", "yes"],
  ["Runtime dependencies", "none", "libtorch", "a backend (WebGL, WebGPU, WASM, CPU)"],
  [
    "Backward pass",
    "hand-written per activation, tested against finite differences",
    "autograd",
    "autodiff (tf.grad)",
  ],
  ["float64", "yes", "yes", "no (float32)"],
  ["GPU", "no", "yes", "yes"],
  [
    "Multi-threaded CPU",
    "worker pool on shared memory",
    "intra-op threads",
    "WASM backend threads",
  ],
  ["Formula, cost and cache size published per activation", "yes (registry)", "no", "no"],
];

/** Props of {@linkcode FeatureTable}. */
export interface FeatureTableProps {
  /** The registry. */
  activations: readonly ActivationInfo[];
}

/** Renders both tables. */
export function FeatureTable({ activations }: FeatureTableProps): VNode {
  return (
    <>
      <div class="table-scroll" tabIndex={0} role="region" aria-label="Features compared">
        <table class="features">
          <caption>Features</caption>
          <thead>
            <tr>
              <th scope="col">Feature</th>
              <th scope="col">nonlin</th>
              <th scope="col">PyTorch</th>
              <th scope="col">TensorFlow.js</th>
            </tr>
          </thead>
          <tbody>
            {GENERAL.map(([feature, ...cells]) => (
              <tr key={feature}>
                <th scope="row">{feature}</th>
                {cells.map((c, i) => <td key={i}>{c}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="table-scroll" tabIndex={0} role="region" aria-label="Activations compared">
        <table class="features">
          <caption>Activations</caption>
          <thead>
            <tr>
              <th scope="col">nonlin</th>
              <th scope="col">PyTorch</th>
              <th scope="col">TensorFlow.js</th>
            </tr>
          </thead>
          <tbody>
            {activations.map((a) => (
              <tr key={a.name}>
                <th scope="row">
                  <a href={`/activations/${a.name}`}>{a.name}</a>
                </th>
                <td>{TORCH_NN.has(a.className) ? `nn.${a.className}` : "—"}</td>
                <td>{TFJS_OPS[a.name] ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
