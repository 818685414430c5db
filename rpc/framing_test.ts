import assert from "node:assert/strict";
import fc from "fast-check";
import { createFrameParser, encodeFrame, type FrameEvent, type FramingName } from "./framing.ts";

const enc = new TextEncoder();
const dec = new TextDecoder("utf-8", { fatal: true });

function _feed(
  framing: FramingName,
  bytes: Uint8Array,
  sizes: number[],
  max?: number,
): FrameEvent[] {
  const p = createFrameParser(framing, max === undefined ? {} : { maxFrameBytes: max });
  const out: FrameEvent[] = [];
  let at = 0;
  let i = 0;
  while (at < bytes.length) {
    const n = Math.max(1, sizes.length === 0 ? 1 : sizes[i++ % sizes.length]!);
    out.push(...p.push(bytes.slice(at, at + n)));
    at += n;
  }
  return out;
}

function _texts(events: FrameEvent[]): string[] {
  return events.map((e) =>
    e.kind === "frame"
      ? dec.decode(e.bytes)
      : e.kind === "oversized"
      ? `<oversized ${e.limit}>`
      : `<fatal>`
  );
}

const MESSAGES = ['{"a":"é"}', '{"b":"€ and 😀"}', '{"c":[1,2,3]}'];

Deno.test("NDJSON splitter", async (t) => {
  await t.step("1-byte chunks with multibyte characters split across reads", () => {
    const bytes = enc.encode(MESSAGES.join("\n") + "\n");
    assert.deepEqual(_texts(_feed("ndjson", bytes, [1])), MESSAGES);
  });
  await t.step("CRLF line ends are stripped and blank lines ignored", () => {
    const bytes = enc.encode(`\n${MESSAGES[0]}\r\n  \r\n${MESSAGES[1]}\n`);
    assert.deepEqual(_texts(_feed("ndjson", bytes, [3])), [MESSAGES[0], MESSAGES[1]]);
  });
  await t.step("a line of NUL or other control bytes is a frame, not a blank line", () => {
    const events = _feed(
      "ndjson",
      new Uint8Array([0x00, 0x00, 0x0a, 0x0b, 0x0a, 0x20, 0x09, 0x0a]),
      [1],
    );
    assert.deepEqual(events.map((e) => e.kind === "frame" ? [...e.bytes] : e.kind), [[0, 0], [
      0x0b,
    ]]);
  });
  await t.step("a line over the limit is reported once and skipped, the next line is read", () => {
    const long = "x".repeat(40);
    const bytes = enc.encode(`${long}\n{"ok":1}\n`);
    assert.deepEqual(_texts(_feed("ndjson", bytes, [7], 32)), ["<oversized 32>", '{"ok":1}']);
  });
  await t.step("the skipped line is not buffered", () => {
    const p = createFrameParser("ndjson", { maxFrameBytes: 16 });
    assert.deepEqual(_texts(p.push(enc.encode("y".repeat(20)))), ["<oversized 16>"]);
    for (let i = 0; i < 100; i++) assert.deepEqual(p.push(enc.encode("z".repeat(1000))), []);
    assert.equal(p.buffered, 0);
    assert.deepEqual(_texts(p.push(enc.encode('zz\n{"n":2}\n'))), ['{"n":2}']);
  });
  await t.step("a line of exactly the limit is accepted", () => {
    const line = `"${"q".repeat(30)}"`;
    assert.equal(line.length, 32);
    assert.deepEqual(_texts(_feed("ndjson", enc.encode(line + "\n"), [5], 32)), [line]);
  });
  await t.step("a partial line is held until its newline", () => {
    const p = createFrameParser("ndjson");
    assert.deepEqual(p.push(enc.encode('{"a"')), []);
    assert.equal(p.buffered, 4);
    assert.deepEqual(_texts(p.push(enc.encode(":1}\n"))), ['{"a":1}']);
    assert.equal(p.buffered, 0);
  });
});

Deno.test("Content-Length parser", async (t) => {
  const framed = (msgs: string[]) => {
    const parts = msgs.map((m) => encodeFrame("lsp", m));
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  await t.step("1-byte chunks with multibyte characters split across reads", () => {
    assert.deepEqual(_texts(_feed("lsp", framed(MESSAGES), [1])), MESSAGES);
  });
  await t.step("Content-Length counts bytes, not characters", () => {
    const head = new TextDecoder().decode(encodeFrame("lsp", MESSAGES[1]!)).split("\r\n")[0];
    assert.equal(head, `Content-Length: ${enc.encode(MESSAGES[1]!).length}`);
  });
  await t.step("other headers and header-name case are accepted", () => {
    const bytes = enc.encode(
      'content-length: 7\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{"a":1}',
    );
    assert.deepEqual(_texts(_feed("lsp", bytes, [2])), ['{"a":1}']);
  });
  await t.step("a body over the limit is skipped byte-exactly, the next frame is read", () => {
    const bytes = framed(["x".repeat(100), '{"ok":1}']);
    assert.deepEqual(_texts(_feed("lsp", bytes, [9], 50)), ["<oversized 50>", '{"ok":1}']);
  });
  await t.step("a missing Content-Length is fatal", () => {
    const events = _feed("lsp", enc.encode('Content-Type: x\r\n\r\n{"a":1}'), [4]);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.kind, "fatal");
  });
  await t.step("a header block without an end is fatal, not buffered forever", () => {
    const p = createFrameParser("lsp");
    const events = p.push(enc.encode("X-Junk: " + "j".repeat(9000)));
    assert.deepEqual(events.map((e) => e.kind), ["fatal"]);
    assert.deepEqual(p.push(enc.encode("more")), []);
  });
});

Deno.test("framing: any split of the stream yields the same frames", () => {
  fc.assert(
    fc.property(
      fc.array(fc.string({ unit: "grapheme", maxLength: 20 }), { minLength: 1, maxLength: 6 }),
      fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 8 }),
      fc.constantFrom<FramingName>("ndjson", "lsp"),
      (strings, sizes, framing) => {
        const msgs = strings.map((s) => JSON.stringify({ s }));
        const parts = msgs.map((m) => encodeFrame(framing, m));
        const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        let at = 0;
        for (const p of parts) {
          all.set(p, at);
          at += p.length;
        }
        assert.deepEqual(_texts(_feed(framing, all, sizes)), msgs);
      },
    ),
    { numRuns: 300 },
  );
});
