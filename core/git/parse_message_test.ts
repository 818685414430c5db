import assert from "node:assert/strict";
import { parseCommitMessage } from "./parse_message.ts";

Deno.test("parseCommitMessage() splits subject, body and trailers", async (t) => {
  await t.step("subject only, with and without a final newline", () => {
    const want = { subject: "Fix it", body: "", trailers: {} };
    assert.deepStrictEqual(parseCommitMessage("Fix it"), want);
    assert.deepStrictEqual(parseCommitMessage("Fix it\n"), want);
    assert.deepStrictEqual(parseCommitMessage("\n\n  Fix it  \n\n\n"), want);
  });

  await t.step("a multi-line first paragraph is joined with spaces", () => {
    assert.equal(parseCommitMessage("One\ntwo \n\nbody").subject, "One two");
  });

  await t.step("trailers: repeated keys, continuation lines, CRLF", () => {
    const m = parseCommitMessage(
      "S\r\n\r\nBody text.\r\n\r\nKeel-Unit: u1\r\nSee: a\r\n  b\r\nKeel-Unit:u2\r\n",
    );
    assert.equal(m.body, "Body text.\n\nKeel-Unit: u1\nSee: a\n  b\nKeel-Unit:u2");
    assert.deepStrictEqual(m.trailers, { "Keel-Unit": ["u1", "u2"], See: ["a b"] });
  });

  await t.step("a last paragraph with a non-trailer line has no trailers", () => {
    assert.deepStrictEqual(parseCommitMessage("S\n\nKeel-Unit: u1\nnot a trailer\n").trailers, {});
    assert.deepStrictEqual(parseCommitMessage("S\n\n  Keel-Unit: u1\n").trailers, {});
  });

  await t.step("the subject paragraph is never a trailer block", () => {
    assert.deepStrictEqual(parseCommitMessage("Keel-Unit: u1\n").trailers, {});
  });

  await t.step("a body paragraph before the last one is not read for trailers", () => {
    const m = parseCommitMessage("S\n\nKeel-Unit: u1\n\nFinal words.\n");
    assert.deepStrictEqual(m.trailers, {});
  });
});
