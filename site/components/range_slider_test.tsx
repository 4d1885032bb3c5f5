import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { halfWidth, RANGES, RangeSlider } from "./range_slider.tsx";

Deno.test("RangeSlider labels its input with the x range of its step", () => {
  const html = renderToString(<RangeSlider id="r" index={3} onChange={() => {}} />);
  assert.match(html, /<label for="r">x from −5 to 5<input id="r" type="range"/);
  assert.match(html, new RegExp(`max="${RANGES.length - 1}"`));
  assert.match(html, /value="3"/);
  assert.match(html, /aria-valuetext="from −5 to 5"/);
});

Deno.test("halfWidth() steps through RANGES and falls back to 5", () => {
  assert.deepEqual(RANGES.map((_, i) => halfWidth(i)), RANGES);
  assert.equal(halfWidth(RANGES.length), 5);
  assert.equal(halfWidth(-1), 5);
});
