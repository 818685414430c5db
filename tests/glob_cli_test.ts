import assert from "node:assert/strict";
import { editJson, keel, keelJson, tempRepo } from "./helpers.ts";

const C = ".keel/contracts/default";

interface Finding {
  code: string;
  location?: string;
  evidence: { glob?: string };
}

Deno.test("validate and approve report a reversed bracket range as GLOB_INVALID naming the pattern", async () => {
  const repo = await tempRepo();
  try {
    assert.equal((await keelJson(repo, ["init"])).code, 0);
    await editJson(`${repo}/${C}/intent.json`, (v) => {
      v.allowed_files = ["src/**", "src/[z-a].ts"];
      v.forbidden_files = ["secret/[9-0]*"];
    });
    await editJson(`${repo}/${C}/commit_plan.json`, (v) => {
      (v.units as { files: string[] }[])[0]!.files = ["src/{a,[z-a]}.ts"];
    });

    const v = await keelJson(repo, ["validate"]);
    assert.equal(v.code, 1, JSON.stringify(v.json));
    const invalid = (v.json.findings as Finding[]).filter((f) => f.code === "GLOB_INVALID");
    assert.deepEqual(invalid.map((f) => [f.location, f.evidence.glob]), [
      ["intent.json $.allowed_files[1]", "src/[z-a].ts"],
      ["intent.json $.forbidden_files[0]", "secret/[9-0]*"],
      ["commit_plan.json $.units[0].files[0]", "src/{a,[z-a]}.ts"],
    ]);

    const a = await keelJson(repo, ["approve", "all", "--by", "me"]);
    assert.equal(a.code, 1);
    assert.equal(a.json.error?.code, "CONTRACT_INVALID");
    const text = await keel(repo, ["approve", "intent", "--by", "me"]);
    assert.equal(text.code, 1);
    assert.match(text.stderr, /GLOB_INVALID: Invalid glob "src\/\[z-a\]\.ts": character range z-a/);
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("validate with a 12-star glob answers at once", async () => {
  const repo = await tempRepo();
  try {
    assert.equal((await keelJson(repo, ["init"])).code, 0);
    const star12 = "*a*a*a*a*a*a*a*a*a*a*a*a*b";
    await editJson(`${repo}/${C}/intent.json`, (v) => {
      v.allowed_files = ["src/**", star12];
      v.forbidden_files = [star12 + "*", "a".repeat(60)];
    });
    await editJson(`${repo}/${C}/commit_plan.json`, (v) => {
      (v.units as { files: string[] }[])[0]!.files = ["a".repeat(40) + "c", star12];
    });
    const t0 = performance.now();
    const v = await keelJson(repo, ["validate"]);
    const ms = performance.now() - t0;
    assert.ok(v.code === 0 || v.code === 1, `exit ${v.code}`);
    assert.ok(ms < 20_000, `validate took ${ms.toFixed(0)} ms`);
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});
