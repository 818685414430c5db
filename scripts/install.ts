// deno-lint-ignore-file no-console
/**
 * `deno task install [--root DIR]`: put `keel` on PATH from this clone.
 *
 * Wraps `deno install -g -f -n keel --config <clone>/deno.json` with the
 * permissions the release binary has (read, write, run, env, sys; no
 * network) on `<clone>/cli/main.ts`. The shim runs the clone's sources, so a
 * `git pull` in the clone updates the installed `keel`. `--root DIR` (or
 * `DENO_INSTALL_ROOT`) puts the shim in `DIR/bin` instead of `~/.deno/bin`.
 *
 * @module
 */

import { PERMISSIONS } from "./compile.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/**
 * The `deno install` arguments for this clone.
 *
 * @param clone The clone's directory.
 * @param root The install root, if given.
 * @returns The arguments after `deno`.
 */
export function installArgs(clone: string, root: string | undefined): string[] {
  return [
    "install",
    "--global",
    "--force",
    "--quiet",
    "--name",
    "keel",
    "--config",
    `${clone}/deno.json`,
    ...(root === undefined ? [] : ["--root", root]),
    ...PERMISSIONS,
    `${clone}/cli/main.ts`,
  ];
}

function _usage(): never {
  console.error("usage: deno task install [--root DIR]");
  Deno.exit(2);
}

if (import.meta.main) {
  let root: string | undefined;
  const args = [...Deno.args];
  while (args.length) {
    const a = args.shift()!;
    if (a === "--root") root = args.shift() ?? _usage();
    else if (a.startsWith("--root=")) root = a.slice("--root=".length);
    else _usage();
  }
  if (root !== undefined && !root.startsWith("/")) root = `${Deno.cwd()}/${root}`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: installArgs(ROOT, root),
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!out.success) Deno.exit(out.code || 1);
  const bin = `${root ?? Deno.env.get("DENO_INSTALL_ROOT") ?? `${Deno.env.get("HOME")}/.deno`}/bin`;
  console.log(`installed ${bin}/keel (runs ${ROOT}/cli/main.ts)`);
  const path = (Deno.env.get("PATH") ?? "").split(":");
  if (!path.includes(bin)) console.log(`add it to PATH:  export PATH="${bin}:$PATH"`);
}
