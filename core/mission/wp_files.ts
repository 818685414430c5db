/**
 * Work-package files `tasks/WP*.md`: the frontmatter split, the
 * `work_package_id` line rule spec-kitty's claim preview uses, and the YAML
 * frontmatter (the `yaml` package is loaded only when a WP file is read).
 *
 * @module
 */

import { KeelError } from "../errors.ts";

/** One `tasks/WP*.md` file. */
export interface WpFile {
  /** File name, e.g. `WP01-foo.md`. */
  file: string;
  /** File name without `.md`, e.g. `WP01-foo` (the review-cycle folder name). */
  stem: string;
  /** Mission-relative path, e.g. `tasks/WP01-foo.md`. */
  relPath: string;
  /** The frontmatter `work_package_id` (line rule), or `null` when absent or empty. */
  id: string | null;
  /** The id in the file name (`WP\d+`), or `null`. */
  fileId: string | null;
  /** `dependencies`, normalised to a list of WP ids. */
  dependencies: string[];
  /** `base_commit` when it is set and not `"unknown"`, else `null`. */
  baseCommit: string | null;
  /** `title` (or the legacy `work_package_title`), or `""`. */
  title: string;
  /** `execution_mode` from the frontmatter, or `null`. */
  executionMode: string | null;
  /**
   * The whole parsed frontmatter, or `null` after a light read (see
   * {@link ParseWpFileOptions}).
   */
  frontmatter: Record<string, unknown> | null;
}

/** Options for {@link parseWpFile}. */
export interface ParseWpFileOptions {
  /**
   * `full` (default) parses the whole frontmatter as YAML. `light` reads only
   * `dependencies` and `base_commit` (`title` and `execution_mode` stay empty) with a line
   * scanner and falls back to the YAML parser when a value is not a plain
   * scalar or a simple list; `frontmatter` is then `null`.
   */
  read?: "full" | "light";
}

/**
 * Split a Markdown file into frontmatter text and body, as spec-kitty does:
 * the text (BOM dropped, CRLF normalised) must start with `---\n`, and the
 * frontmatter ends at the next `\n---`.
 *
 * @param text The file content.
 * @returns `{frontmatter, body}`, or `null` when there is no frontmatter.
 */
export function splitFrontmatter(text: string): { frontmatter: string; body: string } | null {
  let t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (t.includes("\r")) t = t.replace(/\r\n?/g, "\n");
  if (!t.startsWith("---\n")) return null;
  const end = t.indexOf("\n---", 3);
  if (end === -1) return null;
  const frontmatter = t.slice(4, end + 1);
  const after = t.indexOf("\n", end + 4);
  return { frontmatter, body: after === -1 ? "" : t.slice(after + 1) };
}

const _WPID_LINE = /^(work_package_id:\s*)("[^"\n]*"|'[^'\n]*'|[^#\n]*)/m;

/**
 * The `work_package_id` of a frontmatter block by spec-kitty's per-line rule:
 * the value is a quoted string or everything up to a `#`; one level of quotes
 * is stripped; an empty value counts as absent.
 *
 * @param frontmatter The frontmatter text.
 * @returns The id, or `null`.
 */
export function workPackageIdOf(frontmatter: string): string | null {
  const m = _WPID_LINE.exec(frontmatter);
  if (m === null) return null;
  let v = (m[2] ?? "").trim();
  if (
    v.length >= 2 &&
    ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")))
  ) {
    v = v.slice(1, -1).trim();
  }
  return v === "" ? null : v;
}

/**
 * Normalise a frontmatter `dependencies` value: a list, the legacy string
 * `"[]"`, a flow-list string `"[WP01, WP02]"` or a comma-separated string.
 *
 * @param value The raw value.
 * @returns WP ids, in order, without blanks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normalizeDependencies } from "./wp_files.ts";
 * assert(normalizeDependencies("[]").length === 0);
 * assert(normalizeDependencies("WP01, WP02").join() === "WP01,WP02");
 * ```
 */
export function normalizeDependencies(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  let items: unknown[];
  if (Array.isArray(value)) items = value;
  else if (typeof value === "string") {
    let s = value.trim();
    if (s.startsWith("[") && s.endsWith("]")) s = s.slice(1, -1);
    items = s.split(",");
  } else items = [value];
  const out: string[] = [];
  for (const item of items) {
    if (item === null || item === undefined) continue;
    let s = String(item).trim();
    if (
      s.length >= 2 &&
      ((s.startsWith('"') && s.endsWith('"')) || (s.startsWith("'") && s.endsWith("'")))
    ) s = s.slice(1, -1).trim();
    if (s !== "") out.push(s);
  }
  return out;
}

// deno-lint-ignore no-explicit-any
let _yaml: any = null;

/**
 * Parse a WP file's text into a {@link WpFile}.
 *
 * @param file The file name (`WP01-foo.md`).
 * @param text The file content.
 * @returns The parsed file.
 * @throws {KeelError} `WP_FRONTMATTER_INVALID` when the YAML frontmatter cannot be parsed.
 */
export async function parseWpFile(
  file: string,
  text: string,
  options: ParseWpFileOptions = {},
): Promise<WpFile> {
  const stem = file.endsWith(".md") ? file.slice(0, -3) : file;
  const fileId = /WP\d+/.exec(file)?.[0] ?? null;
  const split = splitFrontmatter(text);
  const base: WpFile = {
    file,
    stem,
    relPath: `tasks/${file}`,
    id: null,
    fileId,
    dependencies: [],
    baseCommit: null,
    title: "",
    executionMode: null,
    frontmatter: {},
  };
  if (split === null) return base;
  base.id = workPackageIdOf(split.frontmatter);
  if (options.read === "light") {
    const light = _scanLight(split.frontmatter);
    if (light !== null) {
      base.frontmatter = null;
      base.dependencies = normalizeDependencies(light.dependencies);
      base.baseCommit = _baseCommit(light.base_commit);
      return base;
    }
  }
  if (_yaml === null) _yaml = await import("yaml");
  let fm: unknown;
  try {
    fm = _yaml.parse(split.frontmatter, { uniqueKeys: false, logLevel: "error" });
  } catch (error) {
    throw new KeelError(
      "WP_FRONTMATTER_INVALID",
      `Cannot parse the frontmatter of tasks/${file}: ${(error as Error).message.split("\n")[0]}`,
      { data: { path: `tasks/${file}`, reason: (error as Error).message.split("\n")[0] } },
    );
  }
  if (fm === null || fm === undefined) fm = {};
  if (typeof fm !== "object" || Array.isArray(fm)) {
    throw new KeelError(
      "WP_FRONTMATTER_INVALID",
      `Cannot read the frontmatter of tasks/${file}: expected a mapping`,
      { data: { path: `tasks/${file}`, reason: "expected a mapping" } },
    );
  }
  const front = fm as Record<string, unknown>;
  base.frontmatter = front;
  base.dependencies = normalizeDependencies(front.dependencies);
  const bc = typeof front.base_commit === "number" ? String(front.base_commit) : front.base_commit;
  if (typeof bc === "string" && bc.trim() !== "" && bc.trim() !== "unknown") {
    base.baseCommit = bc.trim();
  }
  const title = front.title ?? front.work_package_title;
  base.title = typeof title === "string" ? title : "";
  base.executionMode = typeof front.execution_mode === "string" ? front.execution_mode : null;
  return base;
}

function _baseCommit(value: unknown): string | null {
  const bc = typeof value === "number" ? String(value) : value;
  if (typeof bc === "string" && bc.trim() !== "" && bc.trim() !== "unknown") return bc.trim();
  return null;
}

const _LIGHT_KEYS = new Set(["dependencies", "base_commit"]);
const _PLAIN = /^[^\s&*!|>{}\[\]"'%@`#,][^#]*$/;
const _KEY_LINE = /^([A-Za-z_][A-Za-z0-9_-]*):(?:[ ]+(.*))?$/;
const _FLOW_ITEM = /^(?:[A-Za-z0-9_./-]+|'[^',\[\]{}]*'|"[^"\\,\[\]{}]*")$/;
/^\[[ ]*(?:[A-Za-z0-9_./-]+(?:[ ]*,[ ]*[A-Za-z0-9_./-]+)*)?[ ]*,?[ ]*\](?:[ ]+#.*)?$/;

/**
 * Read the few keys the claim needs without a YAML parser. The scanner only
 * answers for frontmatter written entirely in a small subset that is always
 * valid YAML (top-level `key: scalar`, simple flow lists, and blocks of
 * simple list items or `key: scalar` pairs); for anything else it returns
 * `null` and the YAML parser decides. So the fast path never accepts what
 * the YAML reader refuses (an alias bomb, a tab indent, `key: - x`): one
 * reading per decision.
 */
function _scanLight(frontmatter: string): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  const lines = frontmatter.split("\n");
  /** The key whose block is open (its value was empty), and the block's shape. */
  let block: { key: string; indent: number; kind: "seq" | "map" | null; items: string[] } | null =
    null;
  let seqMapIndent = -1;
  const close = () => {
    if (block !== null && _LIGHT_KEYS.has(block.key)) {
      out[block.key] = block.items.length > 0 ? block.items : null;
    }
    block = null;
    seqMapIndent = -1;
  };
  for (const line of lines) {
    if (line.trim() === "" || /^[ ]*#/.test(line)) continue;
    if (/^[ ]*\t/.test(line)) return null;
    const indent = line.length - line.trimStart().length;
    const body = line.slice(indent);
    if (indent === 0 && !body.startsWith("-")) {
      close();
      const m = _KEY_LINE.exec(body);
      if (m === null) return null;
      const key = m[1]!;
      const value = (m[2] ?? "").trim();
      if (value === "" || value.startsWith("#")) {
        block = { key, indent: -1, kind: null, items: [] };
        continue;
      }
      if (value.startsWith("[")) {
        const items = _flowList(value);
        if (items === null) return null;
        if (_LIGHT_KEYS.has(key)) out[key] = items;
        continue;
      }
      const scalar = _scalar(value);
      if (scalar === undefined) return null;
      if (_LIGHT_KEYS.has(key)) out[key] = scalar;
      continue;
    }
    // Inside the block of the last top-level key with an empty value.
    const b = block as
      | { key: string; indent: number; kind: "seq" | "map" | null; items: string[] }
      | null;
    if (b === null) return null;
    const isItem = body === "-" || body.startsWith("- ");
    if (b.kind === null) {
      b.kind = isItem ? "seq" : "map";
      b.indent = indent;
      if (indent === 0 && !isItem) return null;
    }
    if (b.kind === "seq") {
      if (isItem && indent === b.indent) {
        const item = body === "-" ? "" : body.slice(2).trim();
        seqMapIndent = -1;
        const km = _KEY_LINE.exec(item);
        if (km !== null && !item.startsWith('"') && !item.startsWith("'")) {
          // `- key: scalar`: an item that is a mapping.
          const v = (km[2] ?? "").trim();
          if (v === "" || _scalar(v) === undefined) return null;
          seqMapIndent = indent + 2;
          if (_LIGHT_KEYS.has(b.key)) return null;
          continue;
        }
        const scalar = _scalar(item);
        if (scalar === undefined || (scalar !== null && typeof scalar !== "string")) return null;
        if (scalar !== null) b.items.push(scalar);
        continue;
      }
      if (!isItem && seqMapIndent >= 0 && indent === seqMapIndent) {
        const km = _KEY_LINE.exec(body);
        const v = km === null ? "" : (km[2] ?? "").trim();
        if (km === null || v === "" || _scalar(v) === undefined) return null;
        continue;
      }
      return null;
    }
    // A block mapping: `key: scalar` lines at one indent.
    if (isItem || indent !== b.indent) return null;
    const km = _KEY_LINE.exec(body);
    const v = km === null ? "" : (km[2] ?? "").trim();
    if (km === null || v === "" || _scalar(v) === undefined) return null;
    if (_LIGHT_KEYS.has(b.key)) return null;
  }
  close();
  return out;
}

/** A one-line flow list of plain or simply quoted items (`[WP01, 'x']`), or `null`. */
function _flowList(value: string): string[] | null {
  const close = value.indexOf("]");
  if (close < 0) return null;
  const rest = value.slice(close + 1);
  if (rest !== "" && !/^[ ]+#/.test(rest)) return null;
  const inner = value.slice(1, close);
  if (inner.trim() === "") return [];
  const parts = inner.split(",").map((v) => v.trim());
  if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
  const out: string[] = [];
  for (const p of parts) {
    if (!_FLOW_ITEM.test(p)) return null;
    out.push(p.startsWith("'") || p.startsWith('"') ? p.slice(1, -1) : p);
  }
  return out;
}

/** A plain or simply quoted YAML scalar; `undefined` when not simple. */
function _scalar(value: string): string | null | undefined {
  if (value === "" || value === "~" || value === "null" || value === "Null" || value === "NULL") {
    return null;
  }
  if (value.startsWith("'")) {
    const end = value.lastIndexOf("'");
    if (end <= 0) return undefined;
    const rest = value.slice(end + 1).trim();
    if (rest !== "" && !rest.startsWith("#")) return undefined;
    const inner = value.slice(1, end);
    if (/'(?!')/.test(inner.replaceAll("''", ""))) return undefined;
    return inner.replaceAll("''", "'");
  }
  if (value.startsWith('"')) {
    const end = value.lastIndexOf('"');
    if (end <= 0) return undefined;
    const rest = value.slice(end + 1).trim();
    if (rest !== "" && !rest.startsWith("#")) return undefined;
    const inner = value.slice(1, end);
    if (inner.includes("\\") || inner.includes('"')) return undefined;
    return inner;
  }
  const hash = value.search(/[ \t]#/);
  const plain = (hash === -1 ? value : value.slice(0, hash)).trim();
  if (!_PLAIN.test(plain) || /: /.test(plain) || plain.endsWith(":")) return undefined;
  // `- x`, `? x`, `: x` are indicators, `---` / `...` document markers.
  if (/^[-?:](\s|$)/.test(plain) || plain === "---" || plain === "...") return undefined;
  return plain;
}
