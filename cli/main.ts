/**
 * The keel CLI entry point: `deno run -A cli/main.ts <args>` behaves exactly
 * like the compiled binary. `--version` answers before anything else loads.
 *
 * @module
 */

if (import.meta.main) {
  const args = Deno.args;
  if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
    const { versionLine } = await import("../core/version.ts");
    await Deno.stdout.write(new TextEncoder().encode(versionLine() + "\n"));
    Deno.exit(0);
  }
  const { main } = await import("./app.ts");
  Deno.exit(await main(args));
}
