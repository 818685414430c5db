/**
 * A small line chart drawn as inline SVG: one series of values (a `null` is
 * a gap), a fixed y range, a baseline and the last value labelled. Used by
 * the history report for each trust metric.
 *
 * @module
 */

import { escapeHtml } from "./escape.ts";

/** Options of {@link lineChartSvg}. */
export interface LineChartOptions {
  /** Accessible title (also the `<title>` tooltip). */
  title: string;
  /** Width in CSS pixels (the SVG scales down with `max-width: 100%`). Default 240. */
  width?: number;
  /** Height in CSS pixels. Default 64. */
  height?: number;
  /** Top of the y axis; default: the largest value, at least 1. */
  yMax?: number;
  /** How the last value is printed. Default: the number as is. */
  format?: (value: number) => string;
}

const PAD = 6;

/**
 * Draw a line chart as an SVG element (no `xmlns`: it is meant to be inlined
 * in HTML). Points are spaced evenly; a `null` breaks the line; a lone point
 * between gaps is drawn as a dot. Values are clamped to `[0, yMax]`.
 *
 * @param values The series, oldest first.
 * @param options Title, size, y range, label format.
 * @returns The `<svg>` markup.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lineChartSvg } from "./line_chart.ts";
 * const svg = lineChartSvg([0, 0.5, 1], { title: "drift", width: 112, height: 52, yMax: 1 });
 * assert.match(svg, /<polyline points="6,46 56,26 106,6"/);
 * ```
 */
export function lineChartSvg(
  values: readonly (number | null)[],
  options: LineChartOptions,
): string {
  const width = options.width ?? 240;
  const height = options.height ?? 64;
  const numbers = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const yMax = options.yMax ?? Math.max(1, ...numbers);
  const fmt = options.format ?? ((v: number) => `${v}`);
  const innerW = width - 2 * PAD;
  const innerH = height - 2 * PAD;
  const x = (i: number) =>
    values.length <= 1 ? PAD + innerW / 2 : PAD + (innerW * i) / (values.length - 1);
  const y = (v: number) => PAD + innerH - (innerH * Math.min(Math.max(v, 0), yMax)) / yMax;
  const r = (n: number) => Math.round(n * 100) / 100;
  const segments: { i: number; v: number }[][] = [];
  let current: { i: number; v: number }[] = [];
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      if (current.length > 0) segments.push(current);
      current = [];
    } else current.push({ i, v });
  });
  if (current.length > 0) segments.push(current);
  const parts: string[] = [
    `<svg class="chart" role="img" aria-label="${escapeHtml(options.title)}" ` +
    `viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`,
    `<title>${escapeHtml(options.title)}</title>`,
    `<line class="axis" x1="${PAD}" y1="${r(y(0))}" x2="${width - PAD}" y2="${r(y(0))}"/>`,
  ];
  for (const seg of segments) {
    if (seg.length === 1) {
      parts.push(`<circle class="dot" cx="${r(x(seg[0]!.i))}" cy="${r(y(seg[0]!.v))}" r="2.5"/>`);
    } else {
      const pts = seg.map((p) => `${r(x(p.i))},${r(y(p.v))}`).join(" ");
      parts.push(`<polyline points="${pts}" fill="none" class="line"/>`);
    }
  }
  const last = [...values].reverse().find((v) => v !== null && Number.isFinite(v));
  if (last === undefined || last === null) {
    parts.push(
      `<text class="label" x="${r(width / 2)}" y="${r(height / 2)}" text-anchor="middle">` +
        `no data</text>`,
    );
  } else {
    parts.push(
      `<text class="label" x="${width - PAD}" y="${PAD + 8}" text-anchor="end">` +
        `${escapeHtml(fmt(last))}</text>`,
    );
  }
  parts.push("</svg>");
  return parts.join("");
}
