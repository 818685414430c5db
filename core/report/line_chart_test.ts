import assert from "node:assert/strict";
import { lineChartSvg } from "./line_chart.ts";

Deno.test("lineChartSvg() draws a series as one polyline, scaled to the y range", async (t) => {
  await t.step("three points over 0..1", () => {
    const svg = lineChartSvg([0, 0.5, 1], { title: "drift", width: 112, height: 52, yMax: 1 });
    assert.match(svg, /^<svg class="chart" role="img" aria-label="drift" viewBox="0 0 112 52"/);
    assert.ok(svg.includes('<polyline points="6,46 56,26 106,6" fill="none" class="line"/>'));
    assert.ok(svg.includes('<line class="axis" x1="6" y1="46" x2="106" y2="46"/>'));
    assert.ok(svg.endsWith("</svg>"));
    assert.ok(!svg.includes("xmlns"), "inline SVG needs no namespace URL");
  });
  await t.step("the last value is the label, in the given format", () => {
    const svg = lineChartSvg([0.25, 0.4], { title: "t", yMax: 1, format: (v) => `${v * 100}%` });
    assert.match(svg, /<text class="label"[^>]*>40%<\/text>/);
  });
  await t.step("yMax defaults to the largest value (at least 1)", () => {
    const svg = lineChartSvg([0, 4], { title: "reverts", width: 112, height: 52 });
    assert.ok(svg.includes('points="6,46 106,6"'));
    const flat = lineChartSvg([0, 0], { title: "reverts", width: 112, height: 52 });
    assert.ok(flat.includes('points="6,46 106,46"'));
  });
  await t.step("values are clamped to the range", () => {
    const svg = lineChartSvg([-1, 2], { title: "x", width: 112, height: 52, yMax: 1 });
    assert.ok(svg.includes('points="6,46 106,6"'));
  });
});

Deno.test("lineChartSvg() breaks the line at null and draws lone points as dots", () => {
  const svg = lineChartSvg([0, 1, null, 1, null, 0.5], {
    title: "gaps",
    width: 106,
    height: 52,
    yMax: 1,
  });
  assert.deepEqual([...svg.matchAll(/<polyline points="([^"]+)"/g)].map((m) => m[1]), [
    "6,46 24.8,6",
  ]);
  assert.deepEqual(
    [...svg.matchAll(/<circle class="dot" cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => [m[1], m[2]]),
    [
      ["62.4", "6"],
      ["100", "26"],
    ],
  );
});

Deno.test("lineChartSvg() says 'no data' for an empty or all-null series, centred single point", () => {
  assert.match(lineChartSvg([], { title: "e" }), />no data<\/text>/);
  assert.match(lineChartSvg([null, null], { title: "e" }), />no data<\/text>/);
  assert.ok(!lineChartSvg([null], { title: "e" }).includes("<polyline"));
  const one = lineChartSvg([1], { title: "one", width: 112, height: 52, yMax: 1 });
  assert.ok(one.includes('<circle class="dot" cx="56" cy="6" r="2.5"/>'));
});

Deno.test("lineChartSvg() escapes the title", () => {
  const svg = lineChartSvg([1], { title: `<script>"x"</script>` });
  assert.ok(!svg.includes("<script>"));
  assert.ok(svg.includes("<title>&lt;script&gt;&quot;x&quot;&lt;/script&gt;</title>"));
});
