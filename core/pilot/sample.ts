/**
 * The pilot's embedded sample: a tiny text-statistics library, the contract
 * a maintainer writes for a change to it, and the edits a simulated agent
 * makes. Embedded as a module so the compiled binary needs no files.
 *
 * @module
 */

/** Files of the sample repository at its first commit. */
export const SAMPLE_FILES: Record<string, string> = {
  "README.md": "# textstats\n\nSmall text statistics helpers.\n",
  "src/stats.ts": [
    "/** Number of words in a text. */",
    "export function wordCount(text: string): number {",
    '  return text.split(/\\s+/).filter((w) => w !== "").length;',
    "}",
    "",
  ].join("\n"),
  "tests/stats_test.ts": [
    'import { wordCount } from "../src/stats.ts";',
    'Deno.test("wordCount", () => {',
    '  if (wordCount("a b  c") !== 3) throw new Error("wordCount");',
    "});",
    "",
  ].join("\n"),
  "docs/usage.md": "# Usage\n\nCall `wordCount(text)`.\n",
};

/** The contract the maintainer writes for the first run (domain "feature"). */
export const FEATURE_CONTRACT = {
  intent: {
    goal: "Add wordFrequency(text) to textstats, returning each word's count.",
    constraints: ["No new dependency", "Keep wordCount's behaviour unchanged"],
    allowed_files: ["src/**", "tests/**"],
    forbidden_files: ["README.md"],
    risk_level: "low",
    domain: "feature",
  },
  tests: [
    {
      id: "frequency-exported",
      command: "sh -c 'grep -q \"export function wordFrequency\" src/stats.ts'",
      required: true,
      gate: "finish",
      description: "wordFrequency is exported from src/stats.ts.",
    },
    {
      id: "frequency-tested",
      command: "sh -c 'grep -q wordFrequency tests/stats_test.ts'",
      required: true,
      gate: "finish",
      description: "A test covers wordFrequency.",
    },
  ],
  units: [
    {
      id: "impl",
      summary: "Implement wordFrequency in src/stats.ts",
      files: ["src/stats.ts"],
      tests: ["frequency-exported"],
      depends_on: [],
    },
    {
      id: "test",
      summary: "Cover wordFrequency in tests/stats_test.ts",
      files: ["tests/stats_test.ts"],
      tests: ["frequency-tested"],
      depends_on: ["impl"],
    },
  ],
} as const;

/** src/stats.ts after the agent's first commit. */
export const STATS_WITH_FREQUENCY = SAMPLE_FILES["src/stats.ts"] + [
  "",
  "/** How often each word occurs. */",
  "export function wordFrequency(text: string): Map<string, number> {",
  "  const counts = new Map<string, number>();",
  "  for (const w of text.toLowerCase().split(/\\s+/)) {",
  '    if (w !== "") counts.set(w, (counts.get(w) ?? 0) + 1);',
  "  }",
  "  return counts;",
  "}",
  "",
].join("\n");
