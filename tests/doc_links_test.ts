import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** README.md and every Markdown file under docs/. */
function docFiles(): string[] {
  const docs = readdirSync(join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => join(ROOT, "docs", f));
  return [join(ROOT, "README.md"), ...docs.sort()];
}

/** Markdown text outside fenced code blocks, with inline code spans blanked. */
function prose(md: string): string[] {
  const lines: string[] = [];
  let fence = false;
  for (const line of md.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) {
      fence = !fence;
      lines.push("");
      continue;
    }
    lines.push(fence ? "" : line.replace(/`[^`]*`/g, (m) => " ".repeat(m.length)));
  }
  return lines;
}

/** GitHub's anchor for a heading text. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** Every anchor a Markdown file defines (its headings, duplicates numbered as GitHub does). */
function anchors(md: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  let fence = false;
  for (const line of md.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    const m = fence ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = slug(m[1]!.replace(/`/g, "").replace(/\[([^\]]*)\]\([^)]*\)/g, "$1"));
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

interface Link {
  file: string;
  line: number;
  target: string;
}

/** Relative links (`[text](target)`) in a file's prose. */
function links(file: string): Link[] {
  const out: Link[] = [];
  prose(readFileSync(file, "utf8")).forEach((text, i) => {
    for (const m of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = m[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, …
      out.push({ file, line: i + 1, target });
    }
  });
  return out;
}

/** What is wrong with one link, or undefined. */
function broken(link: Link): string | undefined {
  const [path = "", anchor] = link.target.split("#", 2);
  const dest = path === "" ? link.file : join(dirname(link.file), decodeURIComponent(path));
  if (!existsSync(dest)) return `no such file ${relative(ROOT, dest)}`;
  if (anchor === undefined) return undefined;
  if (!statSync(dest).isFile() || !dest.endsWith(".md")) return `anchor on a non-Markdown file`;
  if (!anchors(readFileSync(dest, "utf8")).has(anchor)) {
    return `no heading #${anchor} in ${relative(ROOT, dest)}`;
  }
  return undefined;
}

Deno.test("slug follows GitHub's heading anchors", () => {
  assert.equal(slug("Runs: test evidence and drift"), "runs-test-evidence-and-drift");
  assert.equal(slug("keel hooks install | uninstall"), "keel-hooks-install--uninstall");
  assert.equal(slug("Deviations, retrospective, lessons"), "deviations-retrospective-lessons");
  assert.equal(slug("JSON-RPC and MCP"), "json-rpc-and-mcp");
});

Deno.test("the link check finds a missing file and a missing anchor", () => {
  const readme = join(ROOT, "README.md");
  assert.equal(
    broken({ file: readme, line: 1, target: "docs/no-such-page.md" }),
    "no such file docs/no-such-page.md",
  );
  assert.equal(
    broken({ file: readme, line: 1, target: "docs/drift-loop.md#no-such-heading" }),
    "no heading #no-such-heading in docs/drift-loop.md",
  );
  assert.equal(broken({ file: readme, line: 1, target: "docs/drift-loop.md" }), undefined);
});

Deno.test("every relative link in README.md and docs/*.md points to an existing file and heading", () => {
  const all = docFiles().flatMap(links);
  assert.ok(all.length > 20, `only ${all.length} links found`);
  const bad = all.flatMap((l) => {
    const why = broken(l);
    return why === undefined ? [] : [`${relative(ROOT, l.file)}:${l.line}: ${l.target}: ${why}`];
  });
  assert.deepEqual(bad, []);
});

Deno.test("every page under docs/ is linked from README.md", () => {
  const readme = join(ROOT, "README.md");
  const linked = new Set(
    links(readme).map((l) => join(dirname(readme), l.target.split("#")[0]!)),
  );
  const pages = docFiles().slice(1).filter((f) => !linked.has(f)).map((f) => relative(ROOT, f));
  assert.deepEqual(pages, []);
});
