/**
 * The keel CLI entry point: `deno run -A cli/main.ts <args>` behaves exactly
 * like the compiled binary. `--version` (also with `--json`) answers before
 * anything else loads.
 *
 * @module
 */

if (import.meta.main) {
  const args = Deno.args;
  const version = args.length >= 1 && args.length <= 2 &&
    args.some((a) => a === "--version" || a === "-V") &&
    args.every((a) => a === "--version" || a === "-V" || a === "--json");
  if (version && !(args.length === 2 && args[0] === args[1])) {
    const { BUILD_COMMIT, VERSION, versionLine } = await import("../core/version.ts");
    const text = args.includes("--json")
      ? JSON.stringify({ version: VERSION, commit: BUILD_COMMIT }, null, 2)
      : versionLine();
    await Deno.stdout.write(new TextEncoder().encode(text + "\n"));
    Deno.exit(0);
  }
  const { main } = await import("./app.ts");
  Deno.exit(await main(args));
}
