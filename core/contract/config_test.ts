import assert from "node:assert/strict";
import { locateKeel } from "../layout/mod.ts";
import { keelFailure } from "../../testing/keel_failure.ts";
import { loadApprovers } from "./approve_op.ts";
import { DEFAULT_TRUST_CONFIG, loadTrustConfig, readKeelConfig } from "./config.ts";

Deno.test("readKeelConfig(): the one reader of .keel/config.json, for approvers and trust alike", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "keel-config-" });
  try {
    await Deno.mkdir(`${dir}/.keel`);
    const layout = locateKeel(dir);
    const write = (text: string) => Deno.writeTextFile(`${dir}/.keel/config.json`, text);
    await t.step("no file: no config, no approver list, default trust", async () => {
      assert.equal(await readKeelConfig(layout), null);
      assert.equal(await loadApprovers(layout), null);
      assert.deepEqual(await loadTrustConfig(layout), DEFAULT_TRUST_CONFIG);
    });
    await t.step("approvers and other keys: approvers read, other keys kept", async () => {
      await write(JSON.stringify({ approvers: ["ann", "Bo <bo@example.org>"], other: 1 }));
      assert.deepEqual(await loadApprovers(layout), ["ann", "Bo <bo@example.org>"]);
      assert.equal((await readKeelConfig(layout))?.other, 1);
    });
    for (
      const [name, text, message] of [
        ["not JSON", "{", /^Cannot parse \.keel\/config\.json: /],
        [
          "an empty approver",
          '{"approvers": [""]}',
          /^\.keel\/config\.json is invalid: approvers\.0: /,
        ],
        [
          "approvers not a list",
          '{"approvers": "ann"}',
          /^\.keel\/config\.json is invalid: approvers: /,
        ],
      ] as const
    ) {
      await t.step(`${name}: CONFIG_INVALID from approvers and trust alike`, async () => {
        await write(text);
        for (const read of [() => loadApprovers(layout), () => loadTrustConfig(layout)]) {
          const e = await keelFailure(read());
          assert.equal(e.code, "CONFIG_INVALID");
          assert.equal(e.exitCode, 3);
          assert.match(e.message, message);
          assert.equal(e.data.path, ".keel/config.json");
        }
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
