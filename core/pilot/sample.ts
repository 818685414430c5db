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
    'import { wordCount } from "../src/mod.ts";',
    'Deno.test("wordCount", () => {',
    '  if (wordCount("a b  c") !== 3) throw new Error("wordCount");',
    "});",
    "",
  ].join("\n"),
  "docs/usage.md": "# Usage\n\nCall `wordCount(text)`.\n",
};

/** The content a maintainer writes into a contract's three drafts. */
export interface ContractContent {
  intent: Record<string, unknown>;
  tests: readonly Record<string, unknown>[];
  units: readonly Record<string, unknown>[];
}

/** The test commands the pilot's agent runs (argv; no shell is involved but `sh -c`). */
export const SH_TEST_EXPORTED = [
  "sh",
  "-c",
  'grep -q "export function wordFrequency" src/stats.ts',
];
/** See {@link SH_TEST_EXPORTED}. */
export const SH_TEST_TESTED = ["sh", "-c", "grep -q wordFrequency tests/stats_test.ts"];
/** See {@link SH_TEST_EXPORTED}. */
export const SH_TEST_DOCS = ["sh", "-c", "grep -q wordFrequency docs/usage.md"];

/** The contract the maintainer writes for the first run (domain "feature"). */
export const FEATURE_CONTRACT: ContractContent = {
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
};

/** A second contract, in the domain "docs". */
export const DOCS_CONTRACT: ContractContent = {
  intent: {
    goal: "Document wordFrequency in docs/usage.md.",
    constraints: ["Docs only"],
    allowed_files: ["docs/**"],
    forbidden_files: ["src/**"],
    risk_level: "low",
    domain: "docs",
  },
  tests: [{
    id: "usage-mentions",
    command: "sh -c 'grep -q wordFrequency docs/usage.md'",
    required: true,
    gate: "finish",
    description: "docs/usage.md mentions wordFrequency.",
  }],
  units: [{
    id: "usage",
    summary: "Describe wordFrequency in docs/usage.md",
    files: ["docs/usage.md"],
    tests: ["usage-mentions"],
    depends_on: [],
  }],
};

/** docs/usage.md after the agent's out-of-scope edit. */
export const DOCS_WITH_FREQUENCY = "# Usage\n\nCall `wordCount(text)` or `wordFrequency(text)`.\n";

/** tests/stats_test.ts covering wordFrequency. */
export const TESTS_WITH_FREQUENCY = SAMPLE_FILES["tests/stats_test.ts"] + [
  'import { wordFrequency } from "../src/mod.ts";',
  'Deno.test("wordFrequency", () => {',
  '  if (wordFrequency("a b a").get("a") !== 2) throw new Error("wordFrequency");',
  "});",
  "",
].join("\n");

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
