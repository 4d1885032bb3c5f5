import assert from "node:assert/strict";
import {
  bertLargeSites,
  countElements,
  erf,
  formatBound,
  gradientBound,
  gradientLog10,
  reluSparsityNormal,
  reluSparsityUniform,
  resnet50Sites,
} from "./_systems.ts";

Deno.test("resnet50Sites() counts the ReLU outputs of ResNet-50 at 224×224", () => {
  const sites = resnet50Sites();
  assert.equal(sites.length, 5);
  assert.equal(sites[0].elements, 802_816);
  // Stage 1: 3 blocks of 64·56² + 64·56² + 256·56².
  assert.equal(sites[1].elements, 3 * (64 + 64 + 256) * 56 * 56);
  assert.equal(countElements(sites), 9_608_704);
});

Deno.test("bertLargeSites() grows the attention softmax with the square of the sequence", () => {
  const short = bertLargeSites(128);
  const long = bertLargeSites(256);
  assert.equal(countElements(short, "hidden"), 24 * 128 * 4096);
  assert.equal(countElements(long, "softmax"), 4 * countElements(short, "softmax"));
  assert.equal(countElements(short, "tanh"), 1024);
});

Deno.test("erf() matches known values to 1.5e-7", () => {
  assert.ok(Math.abs(erf(0)) < 1.5e-7);
  assert.ok(Math.abs(erf(1) - 0.8427007929) < 1.5e-7);
  assert.ok(Math.abs(erf(-2) + 0.9953222650) < 1.5e-7);
});

Deno.test("reluSparsity*() give the probability of a non-positive input", () => {
  assert.ok(Math.abs(reluSparsityNormal(0, 1) - 0.5) < 1e-7);
  assert.ok(Math.abs(reluSparsityNormal(1, 1) - 0.158655254) < 1e-6);
  assert.equal(reluSparsityNormal(-1, 0), 1);
  assert.equal(reluSparsityUniform(-1, 3), 0.25);
  assert.equal(reluSparsityUniform(1, 3), 0);
  assert.equal(reluSparsityUniform(-3, -1), 1);
});

Deno.test("gradientBound() is (w·s)^N", () => {
  assert.equal(gradientBound(0.25, 1, 2), 0.0625);
  assert.equal(gradientBound(1, 1, 100), 1);
  assert.equal(gradientBound(0.25, 4, 10), 1);
});

Deno.test("formatBound() spells out a bound below float64's range from its logarithm", () => {
  const plain = (v: number) => String(v);
  assert.equal(formatBound(gradientLog10(0.25, 1, 2), plain), "0.0625");
  assert.equal(formatBound(gradientLog10(0.25, 1, 10_000), plain), "2.51e-6021");
  assert.equal(formatBound(gradientLog10(0.25, 0, 3), plain), "0");
  assert.equal(formatBound(gradientLog10(2, 1, 2000), plain), "1.15e602");
});
