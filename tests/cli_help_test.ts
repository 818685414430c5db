/**
 * The CLI's help, usage errors, suggestions, `--version --json`, colour
 * rules and completion candidates (in-process through `main`, and a few
 * whole processes).
 */

import assert from "node:assert/strict";
import { type CliIo, main } from "../cli/app.ts";
import type { ArgsOf, Node } from "../cli/define.ts";
import { styleFor } from "../cli/help.ts";
import { suggest } from "../cli/parse.ts";
import { keel } from "./helpers.ts";

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[]): Promise<Captured> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    raw: () => {},
    isTerminal: () => false,
  };
  const code = await main(argv, io);
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

Deno.test("keel --help lists every command once, global options once, no escape codes", async () => {
  const r = await run(["--help"]);
  assert.equal(r.code, 0);
  for (const c of ["run start", "run exec", "deviation accept", "mission status", "completions"]) {
    assert.match(r.stdout, new RegExp(`^ {2}${c} `, "m"), c);
  }
  assert.equal(r.stdout.match(/--git-backend/g)?.length, 1, "global options are shown once");
  assert.match(r.stdout, /--git-backend auto\|cli\|isomorphic/);
  assert.doesNotMatch(r.stdout, /__complete/, "the hidden entry point is not listed");
  assert.ok(!r.stdout.includes("\x1b["), "no escape codes");
  assert.ok(r.stdout.split("\n").length <= 64, "help fits on two screens");
});

Deno.test("command help lists enum values and describes every positional", async (t) => {
  await t.step("approve: WHAT with its values", async () => {
    const r = await run(["approve", "--help"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: keel approve \[intent\|tests\|plan\|all\] --by WHO/m);
    assert.match(r.stdout, /^ {2}WHAT [^]*?\(one of: intent, tests, plan, all; optional\)/m);
  });
  await t.step("run record: --status VALUE lists passed|failed|skipped", async () => {
    const r = await run(["run", "record", "--help"]);
    assert.match(r.stdout, /--status passed\|failed\|skipped/);
    assert.match(r.stdout, /^ {2}TEST_ID +The test's id/m);
  });
  await t.step("serve --framing and --git-backend list their values", async () => {
    const r = await run(["serve", "--help"]);
    assert.match(r.stdout, /--framing ndjson\|lsp +Frames: [^]*?\(default:\s+ndjson\)/);
    assert.match(r.stdout, /Global options: .*--git-backend auto\|cli\|isomorphic/);
  });
  await t.step("run exec: usage shows the optional command after --", async () => {
    const r = await run(["run", "exec", "--help"]);
    assert.match(
      r.stdout,
      /^Usage: keel run exec TEST_ID \[--contract NAME\] \[--run ID\] \[-- CMD…\]$/m,
    );
    assert.match(r.stdout, /^ {2}CMD… +The test command/m);
  });
  await t.step("every positional of every command has a description", async () => {
    const { allRoots } = await import("../cli/commands/mod.ts");
    const missing: string[] = [];
    const walk = (nodes: readonly Node[]) => {
      for (const n of nodes) {
        if (n.kind === "group") walk(n.children);
        else {
          for (const f of Object.values(n.fields)) {
            if ((f.kind === "arg" || f.kind === "rest") && f.description.trim() === "") {
              missing.push(`${n.tag} ${f.metavar}`);
            }
          }
        }
      }
    };
    walk(await allRoots());
    assert.deepEqual(missing, []);
  });
  await t.step("keel help run start is keel run start --help", async () => {
    const a = await run(["help", "run", "start"]);
    const b = await run(["run", "start", "--help"]);
    assert.equal(a.code, 0);
    assert.equal(a.stdout, b.stdout);
  });
});

Deno.test("a group alone lists its subcommands (exit 2)", async () => {
  const r = await run(["run"]);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /a subcommand is required \(start, exec, record, import-junit, finish, list\)/,
  );
  assert.match(r.stderr, /^ {2}import-junit +Record every testcase/m);
  const j = await run(["run", "--json"]);
  assert.equal(j.code, 2);
  assert.equal(JSON.parse(j.stdout).error.code, "USAGE");
});

Deno.test("unknown subcommands, commands, options and values get suggestions", async (t) => {
  await t.step("keel run strat", async () => {
    const r = await run(["run", "strat"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown subcommand 'strat'/);
    assert.match(r.stderr, /Did you mean 'start'\?/);
  });
  await t.step("--contrct", async () => {
    const r = await run(["status", "--contrct", "x"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown option '--contrct'/);
    assert.match(r.stderr, /Did you mean '--contract'\?/);
  });
  await t.step("keel stauts", async () => {
    const r = await run(["stauts"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Did you mean 'status'\?/);
  });
  await t.step("a bad enum value names the values and the closest", async () => {
    const r = await run(["run", "record", "t", "--status", "pased", "--json"]);
    assert.equal(r.code, 2);
    const e = JSON.parse(r.stdout).error;
    assert.equal(e.code, "USAGE");
    assert.match(e.message, /--status must be one of: passed, failed, skipped \(got 'pased'\)/);
    assert.deepEqual(e.data.suggestions, ["passed"]);
  });
  await t.step("suggest() ranks by distance and ignores the unrelated", () => {
    assert.deepEqual(suggest("strat", ["start", "exec", "record", "finish"]), ["start"]);
    assert.deepEqual(suggest("zzz", ["start", "exec"]), []);
  });
});

Deno.test("argument errors: missing, extra, repeated, bad integers (all exit 2)", async () => {
  const cases: [string[], RegExp][] = [
    [
      ["approve", "--by", "me"],
      /missing WHAT \(one of: intent, tests, plan, all\), or --mission H/,
    ],
    [["approve", "all"], /missing required option --by WHO/],
    [["run", "exec"], /missing TEST_ID/],
    [["status", "extra"], /unexpected argument 'extra'/],
    [["status", "--contract", "a", "--contract", "b"], /--contract given more than once/],
    [["report", "-o", "a.html", "--output", "b.html"], /--output given more than once/],
    [["trust", "--window", "0"], /--window must be an integer from 1 to 1000 \(got '0'\)/],
    [["next", "--mission"], /--mission needs a value H/],
  ];
  for (const [argv, re] of cases) {
    const r = await run(argv);
    assert.equal(r.code, 2, argv.join(" "));
    assert.match(r.stderr, re, argv.join(" "));
  }
});

Deno.test("--version with --json, and --json refused where it cannot apply", async () => {
  const v = await run(["--version", "--json"]);
  assert.equal(v.code, 0);
  assert.deepEqual(Object.keys(JSON.parse(v.stdout)), ["version", "commit"]);
  const p = await keel(Deno.cwd(), ["--version", "--json"]);
  assert.equal(p.code, 0);
  assert.equal(JSON.parse(p.stdout).version, JSON.parse(v.stdout).version);
  const c = await run(["completions", "bash", "--json"]);
  assert.equal(c.code, 2);
  const e = JSON.parse(c.stdout).error;
  assert.equal(e.code, "USAGE");
  assert.match(e.message, /--json does not apply to `keel completions`/);
  const h = await run(["--help", "--json"]);
  assert.equal(h.code, 2);
  assert.equal(JSON.parse(h.stdout).error.code, "USAGE");
});

Deno.test("colour: only on a terminal, NO_COLOR off, FORCE_COLOR on", () => {
  const red = (s: ReturnType<typeof styleFor>) => s.error("x");
  assert.equal(red(styleFor({}, false)), "x");
  assert.equal(red(styleFor({}, true)), "\x1b[31;1mx\x1b[0m");
  assert.equal(red(styleFor({ NO_COLOR: "1" }, true)), "x");
  assert.equal(red(styleFor({ FORCE_COLOR: "1" }, false)), "\x1b[31;1mx\x1b[0m");
  assert.equal(red(styleFor({ FORCE_COLOR: "1", NO_COLOR: "1" }, false)), "\x1b[31;1mx\x1b[0m");
  assert.equal(red(styleFor({ FORCE_COLOR: "0" }, true)), "x");
});

Deno.test("help is coloured when FORCE_COLOR is set, plain otherwise", async () => {
  const plain = await keel(Deno.cwd(), ["status", "--help"]);
  assert.ok(!plain.stdout.includes("\x1b["), "plain without FORCE_COLOR");
  const forced = await keel(Deno.cwd(), ["status", "--help"], { env: { FORCE_COLOR: "1" } });
  assert.ok(forced.stdout.startsWith("\x1b[1mUsage:\x1b[0m keel status"), forced.stdout);
});

async function completionRepo(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "keel-complete-" });
  for (const c of ["default", "payments"]) {
    await Deno.mkdir(`${dir}/.keel/contracts/${c}`, { recursive: true });
  }
  const runs = ["01KA0000000000000000000001", "01KA0000000000000000000002"];
  for (const id of runs) await Deno.mkdir(`${dir}/.keel/runs/${id}`, { recursive: true });
  await Deno.writeTextFile(
    `${dir}/.keel/runs/${runs[1]}/run_report.json`,
    JSON.stringify({ findings: [{ id: "F1" }, { id: "F2" }] }),
  );
  await Deno.writeTextFile(
    `${dir}/.keel/runs/${runs[0]}/run_report.json`,
    JSON.stringify({ findings: [{ id: "F7" }] }),
  );
  await Deno.mkdir(`${dir}/kitty-specs/001-alpha`, { recursive: true });
  await Deno.mkdir(`${dir}/kitty-specs/002-beta`, { recursive: true });
  await Deno.mkdir(`${dir}/sub/dir`, { recursive: true });
  return dir;
}

Deno.test("completion offers commands, options, values and names from the repository", async (t) => {
  const dir = await completionRepo();
  const complete = async (...words: string[]) => {
    const r = await run(["__complete", "--repo", `${dir}/sub/dir`, "--", ...words]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout === "" ? [] : r.stdout.split("\n");
  };
  try {
    await t.step("commands and subcommands", async () => {
      assert.deepEqual(await complete("st"), ["status"]);
      assert.deepEqual(await complete("run", ""), [
        "start",
        "exec",
        "record",
        "import-junit",
        "finish",
        "list",
      ]);
      assert.deepEqual(await complete("__"), [], "the hidden entry point is not offered");
    });
    await t.step("options and enum values", async () => {
      assert.deepEqual(await complete("status", "--c"), ["--contract"]);
      assert.deepEqual(await complete("run", "record", "t", "--status", ""), [
        "passed",
        "failed",
        "skipped",
      ]);
      assert.deepEqual(await complete("approve", "t"), ["tests"]);
      assert.deepEqual(await complete("status", "--git-backend=i"), ["--git-backend=isomorphic"]);
    });
    await t.step("options are never taken for positionals", async () => {
      assert.deepEqual(
        await complete("implement", "--mission", "001-alpha", "--agent", "a", ""),
        [],
        "WP has no candidates; --mission's names are not offered for it",
      );
      assert.deepEqual(await complete("report", "-o", ""), [], "a value is expected, not names");
    });
    await t.step("contract names", async () => {
      assert.deepEqual(await complete("status", "--contract", ""), ["default", "payments"]);
      assert.deepEqual(await complete("validate", "--contract", "p"), ["payments"]);
    });
    await t.step("run ids, newest first", async () => {
      assert.deepEqual(await complete("drift", "--run", ""), [
        "01KA0000000000000000000002",
        "01KA0000000000000000000001",
      ]);
    });
    await t.step("mission handles", async () => {
      assert.deepEqual(await complete("next", "--mission", ""), ["001-alpha", "002-beta"]);
    });
    await t.step("finding ids: of the latest run, or of the run on the line", async () => {
      assert.deepEqual(await complete("deviation", "accept", ""), ["F1", "F2"]);
      assert.deepEqual(
        await complete("deviation", "accept", "--run", "01KA0000000000000000000001", ""),
        ["F7"],
      );
    });
    await t.step("a --repo typed on the line is where names come from", async () => {
      const r = await run(["__complete", "--", "--repo", dir, "status", "--contract", "d"]);
      assert.equal(r.stdout, "default");
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the bash completion script completes contract names through keel", async () => {
  const dir = await completionRepo();
  try {
    const script = (await keel(dir, ["completions", "bash"])).stdout;
    const bin = await Deno.makeTempDir({ prefix: "keel-complete-bin-" });
    const main = new URL("../cli/main.ts", import.meta.url).pathname;
    await Deno.writeTextFile(
      `${bin}/keel`,
      `#!/bin/sh\nexec "${Deno.execPath()}" run -A --quiet "${main}" "$@"\n`,
    );
    await Deno.chmod(`${bin}/keel`, 0o755);
    const probe = `${script}
COMP_WORDS=(keel status --contract pa)
COMP_CWORD=3
_keel_complete
printf '%s\\n' "\${COMPREPLY[@]}"
`;
    const out = await new Deno.Command("bash", {
      args: ["-c", probe],
      cwd: dir,
      env: { PATH: `${bin}:${Deno.env.get("PATH")}`, NO_COLOR: "1" },
    }).output();
    assert.equal(new TextDecoder().decode(out.stdout).trim(), "payments");
    await Deno.remove(bin, { recursive: true });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parse results are typed from the declaration (checked by deno check)", async () => {
  const { parser: next } = await import("../cli/commands/next.ts");
  const { parser: serve } = await import("../cli/commands/serve.ts");
  type Next = ArgsOf<typeof next>;
  type Serve = ArgsOf<typeof serve>;
  const args: Next = {
    cmd: "next",
    mission: "m",
    agent: undefined,
    explain: false,
    json: false,
    repo: undefined,
    debug: false,
    gitBackend: "auto",
  };
  const framing: Serve["framing"] = "lsp";
  const bytes: Serve["maxFrameBytes"] = 64;
  // @ts-expect-error a required option is never undefined
  const noMission: Next["mission"] = undefined;
  // @ts-expect-error only the declared choices
  const badFraming: Serve["framing"] = "xml";
  assert.deepEqual([args.cmd, framing, bytes, noMission, badFraming], [
    "next",
    "lsp",
    64,
    undefined,
    "xml",
  ]);
});
