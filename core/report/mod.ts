/**
 * Reports people look at: a run, the run history with trust over time, or a
 * spec-kitty mission board, rendered as self-contained HTML, GitHub Markdown
 * or SARIF 2.1.0 from the results the CLI and RPC already return.
 *
 * @module
 */
export * from "./escape.ts";
export * from "./line_chart.ts";
export * from "./drift_rules.ts";
export * from "./report_views.ts";
export * from "./view_facts.ts";
export * from "./render_html.ts";
export * from "./render_md.ts";
export * from "./render_sarif.ts";
export * from "./report_op.ts";
export * from "./write_report.ts";
