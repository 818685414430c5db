import assert from "node:assert/strict";
import fc from "fast-check";
import { Approval } from "./approval.ts";
import { isApprovalBlock } from "./approval_shape.ts";

const DIGEST = "a".repeat(64);
const odd = fc.constantFrom<unknown>(
  5,
  true,
  [],
  {},
  "",
  "A".repeat(64),
  "a".repeat(63),
  DIGEST + "\n",
  undefined,
);
const stringOrNull = fc.oneof(fc.string(), fc.constant(null));
const item = fc.oneof(
  fc.record({ id: fc.string(), label: fc.string(), ok: fc.boolean() }),
  fc.record(
    {
      id: fc.oneof(fc.string(), odd),
      label: fc.oneof(fc.string(), odd),
      ok: fc.oneof(fc.boolean(), odd),
      extra: odd,
    },
    { requiredKeys: [] },
  ),
  odd,
);
const user = fc.oneof(
  fc.constant(null),
  fc.record({ name: stringOrNull, email: stringOrNull }),
  fc.record({ name: fc.oneof(stringOrNull, odd), email: fc.oneof(stringOrNull, odd), x: odd }, {
    requiredKeys: [],
  }),
  odd,
);
/** Approval-like blocks: mostly valid fields, each sometimes wrong, missing or extra. */
const block = fc.record({
  state: fc.oneof(fc.constantFrom("draft", "approved", "stale", "Approved"), odd),
  by: fc.oneof(stringOrNull, odd),
  at: fc.oneof(stringOrNull, odd),
  digest: fc.oneof(fc.constantFrom(null, DIGEST, "0123456789abcdef".repeat(4)), odd),
  checklist: fc.oneof(fc.array(item, { maxLength: 3 }), odd),
  proposed_at: fc.oneof(stringOrNull, odd),
  git_user: user,
  os_user: fc.oneof(stringOrNull, odd),
  placeholders_allowed: fc.oneof(fc.boolean(), odd),
  unexpected: odd,
}, {
  requiredKeys: [],
}).map((b) => JSON.parse(JSON.stringify(b)) as unknown);

Deno.test("isApprovalBlock accepts exactly what the Approval schema accepts", () => {
  fc.assert(
    fc.property(fc.oneof(block, fc.anything()), (v) => {
      assert.equal(isApprovalBlock(v), Approval.safeParse(v).success, JSON.stringify(v));
    }),
    { numRuns: 3000 },
  );
});

Deno.test("isApprovalBlock accepts the blocks keel writes and refuses a wrong type", () => {
  const approved = {
    state: "approved",
    by: "ana",
    at: "2026-01-01T00:00:00.000Z",
    digest: DIGEST,
    checklist: [{ id: "goal", label: "Goal stated", ok: true }],
    proposed_at: "2026-01-01T00:00:00.000Z",
    git_user: { name: "Ana", email: null },
    os_user: "ana",
    placeholders_allowed: true,
  };
  assert.equal(isApprovalBlock(approved), true);
  assert.equal(isApprovalBlock({ ...approved, by: 5 }), false);
  assert.equal(isApprovalBlock({ ...approved, digest: DIGEST.toUpperCase() }), false);
  assert.equal(isApprovalBlock({ ...approved, git_user: { name: "Ana" } }), false);
  assert.equal(isApprovalBlock({ ...approved, note: "x" }), false);
  const { by: _by, ...noBy } = approved;
  assert.equal(isApprovalBlock(noBy), false);
});
