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

/**
 * Read the few keys the claim needs without a YAML parser. Returns `null`
 * when any of them is written in a form this scanner does not handle.
 */
function _scanLight(frontmatter: string): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  const lines = frontmatter.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(":");
    if (colon <= 0 || line.charCodeAt(0) === 32 || line.charCodeAt(0) === 9) continue;
    const key = line.slice(0, colon);
    if (!_LIGHT_KEYS.has(key)) continue;
    const rest = line.slice(colon + 1);
    if (rest !== "" && !/^[ \t]/.test(rest)) return null;
    const value = rest.trim();
    if (value === "" || value.startsWith("#")) {
      // A block list (or nothing) follows.
      const items: string[] = [];
      let j = i + 1;
      for (; j < lines.length; j++) {
        const l = lines[j]!;
        if (l.trim() === "") continue;
        const m = /^[ \t]*-[ \t]+(.*)$/.exec(l) ?? /^[ \t]*-$/.exec(l);
        if (m === null) {
          if (/^[ \t]/.test(l)) return null;
          break;
        }
        const item = _scalar((m[1] ?? "").trim());
        if (item === undefined || typeof item !== "string") return null;
        items.push(item);
      }
      i = j - 1;
      out[key] = items.length > 0 ? items : null;
      continue;
    }
    if (value.startsWith("[")) {
      const close = value.indexOf("]");
      if (close !== value.length - 1 && !/^\][ \t]+#/.test(value.slice(close))) return null;
      const inner = value.slice(1, close);
      if (/[\[\]{}&*!|>"']/.test(inner)) return null;
      out[key] = inner.trim() === "" ? [] : inner.split(",").map((v) => v.trim());
      continue;
    }
    const scalar = _scalar(value);
    if (scalar === undefined) return null;
    out[key] = scalar;
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
  return plain;
}
