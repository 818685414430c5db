/**
 * The HTML report in a real headless Chromium, driven over the DevTools
 * protocol: the DOM Chromium builds has the expected elements, no request
 * leaves the page (the Network domain sees only the file itself, and the
 * console no blocked load), the page fits 400 px without sideways
 * scrolling, dark and light follow the reader's preference, and screenshots
 * at 1280 px and 400 px are written to `tests/artifacts/report/`
 * (gitignored).
 *
 * Chromium is Debian's `chromium` (or `chromium-headless-shell`), which
 * `.ci/run` installs where apt-get is available. Without it the test is
 * skipped and its name says so.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { RunReport } from "../schemas/run_report.ts";
import { renderHtml, renderReportOp } from "../core/report/mod.ts";
import { tempRepo } from "./helpers.ts";
import { MISSION_SLUG, writeBoardMission } from "./report_fixtures.ts";

const ARTIFACTS = new URL("./artifacts/report/", import.meta.url).pathname;

function _findChromium(): string | null {
  const fromEnv = Deno.env.get("KEEL_CHROMIUM");
  if (fromEnv) return fromEnv;
  const dirs = (Deno.env.get("PATH") ?? "").split(":").filter((d) => d !== "");
  for (const name of ["chromium", "chromium-headless-shell", "chromium-browser"]) {
    for (const d of dirs) {
      try {
        if (Deno.statSync(join(d, name)).isFile) return join(d, name);
      } catch {
        // not here
      }
    }
  }
  return null;
}

const CHROMIUM = _findChromium();

/** A minimal DevTools protocol client over the browser's WebSocket. */
class Cdp {
  #ws: WebSocket;
  #id = 0;
  #pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  #listeners: ((method: string, params: Record<string, unknown>, session?: string) => void)[] = [];

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.onmessage = (ev) => {
      const msg = JSON.parse(ev.data as string);
      if (typeof msg.id === "number") {
        const p = this.#pending.get(msg.id);
        this.#pending.delete(msg.id);
        if (msg.error) p?.reject(new Error(`${msg.error.message}`));
        else p?.resolve(msg.result);
      } else for (const l of this.#listeners) l(msg.method, msg.params ?? {}, msg.sessionId);
    };
  }

  static async connect(url: string): Promise<Cdp> {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error(`cannot connect to ${url}`));
    });
    return new Cdp(ws);
  }

  send<T = Record<string, unknown>>(
    method: string,
    params: Record<string, unknown> = {},
    sessionId?: string,
  ): Promise<T> {
    const id = ++this.#id;
    this.#ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    return new Promise((resolve, reject) =>
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
    );
  }

  on(fn: (method: string, params: Record<string, unknown>, session?: string) => void): void {
    this.#listeners.push(fn);
  }

  once(method: string, timeoutMs: number): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${method}`)),
        timeoutMs,
      );
      this.on((m, p) => {
        if (m === method) {
          clearTimeout(timer);
          resolve(p);
        }
      });
    });
  }

  close(): void {
    this.#ws.close();
  }
}

/** A headless Chromium with the DevTools protocol on a random local port. */
async function _launch(): Promise<{ cdp: Cdp; stop(): Promise<void> }> {
  const profile = await Deno.makeTempDir({ prefix: "keel-chromium-" });
  const child = new Deno.Command(CHROMIUM!, {
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--hide-scrollbars",
      `--user-data-dir=${profile}`,
      "--remote-debugging-address=127.0.0.1",
      "--remote-debugging-port=0",
      "about:blank",
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  let url: string | null = null;
  const deadline = Date.now() + 60_000;
  while (url === null && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += value;
    url = buffered.match(/DevTools listening on (ws:\/\/\S+)/)?.[1] ?? null;
  }
  // Keep draining stderr so Chromium never blocks on a full pipe.
  const drain = (async () => {
    try {
      while (!(await reader.read()).done) { /* discard */ }
    } catch {
      // closed
    }
  })();
  if (url === null) {
    child.kill("SIGKILL");
    await child.status;
    throw new Error(`Chromium did not start:\n${buffered.slice(-2000)}`);
  }
  const cdp = await Cdp.connect(url);
  return {
    cdp,
    async stop() {
      try {
        await Promise.race([cdp.send("Browser.close"), new Promise((r) => setTimeout(r, 5000))]);
      } catch {
        // already gone
      }
      cdp.close();
      try {
        child.kill("SIGKILL");
      } catch {
        // exited
      }
      await child.status;
      await drain;
      await Deno.remove(profile, { recursive: true }).catch(() => {});
    },
  };
}

/** One page: what it requested, what the console said, and helpers. */
async function _open(cdp: Cdp, file: string) {
  const { targetId } = await cdp.send<{ targetId: string }>("Target.createTarget", {
    url: "about:blank",
  });
  const { sessionId } = await cdp.send<{ sessionId: string }>("Target.attachToTarget", {
    targetId,
    flatten: true,
  });
  const requests: string[] = [];
  const console: string[] = [];
  cdp.on((method, params, session) => {
    if (session !== sessionId) return;
    if (method === "Network.requestWillBeSent") {
      requests.push((params.request as { url: string }).url);
    }
    if (method === "Log.entryAdded") console.push((params.entry as { text: string }).text);
    if (method === "Runtime.consoleAPICalled") console.push(JSON.stringify(params.args));
  });
  const s = <T = Record<string, unknown>>(m: string, p: Record<string, unknown> = {}) =>
    cdp.send<T>(m, p, sessionId);
  await s("Network.enable");
  await s("Log.enable");
  await s("Runtime.enable");
  await s("Page.enable");
  const url = `file://${file}`;
  const loaded = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("page load timed out")), 60_000);
    cdp.on((method, _p, session) => {
      if (session === sessionId && method === "Page.loadEventFired") {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  await s("Page.navigate", { url });
  await loaded;
  return {
    url,
    requests,
    console,
    async eval<T>(expression: string): Promise<T> {
      const r = await s<{ result: { value: T }; exceptionDetails?: unknown }>("Runtime.evaluate", {
        expression,
        returnByValue: true,
      });
      if (r.exceptionDetails) {
        throw new Error(`${expression}: ${JSON.stringify(r.exceptionDetails)}`);
      }
      return r.result.value;
    },
    async width(width: number): Promise<void> {
      await s("Emulation.setDeviceMetricsOverride", {
        width,
        height: 900,
        deviceScaleFactor: 1,
        mobile: width <= 480,
      });
    },
    async screenshot(path: string, width: number): Promise<void> {
      await this.width(width);
      const m = await s<{ cssContentSize: { height: number } }>("Page.getLayoutMetrics");
      const height = Math.min(Math.ceil(m.cssContentSize.height), 12_000);
      const shot = await s<{ data: string }>("Page.captureScreenshot", {
        format: "png",
        captureBeyondViewport: true,
        clip: { x: 0, y: 0, width, height, scale: 1 },
      });
      await Deno.writeFile(path, Uint8Array.from(atob(shot.data), (c) => c.charCodeAt(0)));
    },
    async media(features: { name: string; value: string }[], media = ""): Promise<void> {
      await s("Emulation.setEmulatedMedia", { media, features });
    },
    async close(): Promise<void> {
      await cdp.send("Target.closeTarget", { targetId });
    },
  };
}

const SKIP = CHROMIUM === null
  ? " (SKIPPED: no chromium on PATH — install Debian's chromium, as .ci/run does where apt-get is available)"
  : "";

Deno.test({
  name: `report HTML in headless Chromium: DOM, no requests, 400 px, dark mode, screenshots${SKIP}`,
  ignore: CHROMIUM === null,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async (t) => {
    await Deno.mkdir(ARTIFACTS, { recursive: true });
    const work = await Deno.makeTempDir({ prefix: "keel-report-html-" });
    const repo = await tempRepo();
    const browser = await _launch();
    try {
      const run = RunReport.parse(
        JSON.parse(
          await Deno.readTextFile(
            new URL("./fixtures/report/run_drifted.json", import.meta.url),
          ),
        ),
      );
      const runFile = join(work, "run.html");
      await Deno.writeTextFile(
        runFile,
        renderHtml({ kind: "run", report: run }, {
          generatedAt: "2026-11-28T00:00:00.000Z",
          version: "0.1.0",
        }),
      );
      await writeBoardMission(repo);
      const mission = await renderReportOp({ mission: MISSION_SLUG }, {
        cwd: repo,
        clock: { now: () => new Date("2026-11-28T00:00:00.000Z") },
        env: {},
        gitBackend: "auto",
      });
      const missionFile = join(work, "mission.html");
      await Deno.writeTextFile(missionFile, mission.text);

      await t.step("the run page: the DOM Chromium built has every part", async () => {
        const page = await _open(browser.cdp, runFile);
        try {
          const dom = await page.eval<Record<string, unknown>>(`({
            verdict: document.querySelector(".verdict")?.dataset.verdict,
            findings: [...document.querySelectorAll("tr.finding")].map((r) => r.dataset.code),
            accepted: [...document.querySelectorAll("tr.finding[data-accepted=true]")].map((r) => r.dataset.id),
            units: [...document.querySelectorAll("li.unit[data-unit]")].map((u) => u.dataset.unit + ":" + u.dataset.status),
            tests: document.querySelectorAll("tr.test").length,
            outside: [...document.querySelectorAll('tr.file[data-scope="outside"]')].map((r) => r.dataset.path),
            approvals: document.querySelectorAll("tr.approval").length,
            scripts: document.scripts.length,
            sheets: document.styleSheets.length,
            title: document.title,
          })`);
          assert.deepEqual(dom, {
            verdict: "drifted",
            findings: run.findings.map((f) => f.code),
            accepted: ["F1"],
            units: ["impl:landed", "test:missing"],
            tests: 2,
            outside: ["docs/usage.md"],
            approvals: 3,
            scripts: 0,
            sheets: 1,
            title: `keel run ${run.run_id} — drifted`,
          });
          assert.deepEqual(page.requests, [page.url], "only the file itself is loaded");
          assert.deepEqual(page.console.filter((c) => /Refused|Failed to load/i.test(c)), []);
        } finally {
          await page.close();
        }
      });

      await t.step("the run page: usable at 400 px, dark and light, screenshots", async () => {
        const page = await _open(browser.cdp, runFile);
        try {
          await page.width(400);
          const overflow = await page.eval<number>(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth",
          );
          assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at 400 px`);
          await page.media([{ name: "prefers-color-scheme", value: "dark" }]);
          assert.equal(
            await page.eval<string>("getComputedStyle(document.body).backgroundColor"),
            "rgb(13, 17, 23)",
          );
          await page.media([{ name: "prefers-color-scheme", value: "light" }]);
          assert.equal(
            await page.eval<string>("getComputedStyle(document.body).backgroundColor"),
            "rgb(255, 255, 255)",
          );
          await page.media([{ name: "prefers-color-scheme", value: "dark" }], "print");
          assert.equal(
            await page.eval<string>("getComputedStyle(document.body).backgroundColor"),
            "rgb(255, 255, 255)",
            "print is black on white",
          );
          await page.media([]);
          await page.screenshot(join(ARTIFACTS, "run-1280.png"), 1280);
          await page.screenshot(join(ARTIFACTS, "run-400.png"), 400);
          for (const f of ["run-1280.png", "run-400.png"]) {
            assert.ok((await Deno.stat(join(ARTIFACTS, f))).size > 10_000, f);
          }
        } finally {
          await page.close();
        }
      });

      await t.step("the mission board: columns, cards, next, blockers; screenshots", async () => {
        const page = await _open(browser.cdp, missionFile);
        try {
          const dom = await page.eval<Record<string, unknown>>(`({
            lanes: Object.fromEntries([...document.querySelectorAll("section.lane")].map((l) =>
              [l.dataset.lane, [...l.querySelectorAll("article.card")].map((c) => c.dataset.wp)])),
            next: [...document.querySelectorAll("article.card.next")].map((c) => c.dataset.wp),
            blocked: [...document.querySelectorAll("article.card.blocked-merge")].map((c) => c.dataset.wp),
          })`);
          assert.deepEqual(dom, {
            lanes: {
              planned: ["WP05", "WP06"],
              claimed: ["WP09"],
              in_progress: ["WP04"],
              for_review: ["WP03"],
              in_review: ["WP10"],
              approved: ["WP02"],
              done: ["WP01"],
              blocked: ["WP07"],
              canceled: ["WP08"],
            },
            next: ["WP05"],
            blocked: ["WP01"],
          });
          assert.deepEqual(page.requests, [page.url]);
          await page.width(400);
          const overflow = await page.eval<number>(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth",
          );
          assert.ok(overflow <= 0, `the board scrolls sideways by ${overflow}px at 400 px`);
          await page.screenshot(join(ARTIFACTS, "mission-1280.png"), 1280);
          await page.screenshot(join(ARTIFACTS, "mission-400.png"), 400);
        } finally {
          await page.close();
        }
      });

      await t.step("control: the same watch sees a page that does fetch", async () => {
        const leaky = join(work, "leaky.html");
        await Deno.writeTextFile(
          leaky,
          `<!doctype html><html><body><img src="http://127.0.0.1:9/x.png"></body></html>`,
        );
        const page = await _open(browser.cdp, leaky);
        try {
          assert.ok(page.requests.includes("http://127.0.0.1:9/x.png"), page.requests.join(", "));
        } finally {
          await page.close();
        }
      });
    } finally {
      await browser.stop();
      await Deno.remove(work, { recursive: true });
      await Deno.remove(repo, { recursive: true });
    }
  },
});
