/**
 * keel's state as MCP resources: each contract (`keel://contract/<name>`:
 * its status and three artifacts) and each run report (`keel://run/<id>`).
 * A repository other than the server's own is named by `?repo=<absolute
 * path>`, which must lie inside one of the server's roots.
 *
 * @module
 */

import { DEFAULT_CONTRACT, listContracts, locateKeel } from "../contract/layout.ts";
import { readContract } from "../contract/read_contract.ts";
import { statusOp } from "../status/mod.ts";
import type { OpContext } from "../context.ts";
import { KeelError } from "../errors.ts";
import { listRunIds, loadRunReport } from "../run/run_store.ts";
import { resolveRepoParam } from "../util/roots.ts";

/** A listed resource. */
export interface KeelResource {
  uri: string;
  name: string;
  description: string;
  mimeType: "application/json";
}

/** The newest runs listed (all can be read by URI). */
export const MAX_LISTED_RUNS = 50;

/**
 * The contracts and the latest runs of the server's repository, of each
 * root, and of each folder directly inside a root that holds `.keel/`.
 *
 * @param ctx Operation context.
 * @param options `roots` of the server.
 * @returns Contracts (by name), then runs (newest first, at most 50), per repository.
 */
export function listKeelResources(
  ctx: OpContext,
  options: { roots?: readonly string[] } = {},
): KeelResource[] {
  const repos = new Map<string, string | null>([[locateKeel(ctx.cwd).root, null]]);
  for (const root of options.roots ?? []) {
    const candidates = [root];
    try {
      for (const e of Deno.readDirSync(root)) {
        if (e.isDirectory && !e.name.startsWith(".")) candidates.push(`${root}/${e.name}`);
      }
    } catch {
      // an unreadable root lists nothing
    }
    for (const dir of candidates) {
      const layout = locateKeel(dir);
      if (layout.root !== dir || repos.has(dir) || !_isDir(layout.keelDir)) continue;
      repos.set(dir, dir);
    }
  }
  const out: KeelResource[] = [];
  for (const [root, repo] of repos) {
    const layout = locateKeel(root);
    const q = repo === null ? "" : `?repo=${encodeURIComponent(repo)}`;
    const where = repo === null ? "" : ` in ${repo}`;
    for (const name of listContracts(layout)) {
      out.push({
        uri: `keel://contract/${name}${q}`,
        name: `contract ${name}${where}`,
        description: `Contract "${name}": approval status, intent, test contract and commit plan.`,
        mimeType: "application/json",
      });
    }
    for (const id of listRunIds(layout).reverse().slice(0, MAX_LISTED_RUNS)) {
      out.push({
        uri: `keel://run/${id}${q}`,
        name: `run ${id}${where}`,
        description: `Run report ${id}: planned vs actual, findings, verdict.`,
        mimeType: "application/json",
      });
    }
  }
  return out;
}

function _isDir(path: string): boolean {
  try {
    return Deno.lstatSync(path).isDirectory;
  } catch {
    return false;
  }
}

/**
 * Read one resource.
 *
 * @param uri `keel://contract/<name>` or `keel://run/<id>`, optionally `?repo=<path>`.
 * @param ctx Operation context.
 * @param options `roots` of the server (a `repo` must lie inside one).
 * @returns The JSON text.
 * @throws {KeelError} CONTRACT_NOT_FOUND / RUN_NOT_FOUND (also for any other
 *   URI); PATH_OUTSIDE_REPO for a repo outside the roots.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readKeelResource } from "./resources.ts";
 * import { systemClock } from "../util/mod.ts";
 * const ctx = { cwd: "/nonexistent", clock: systemClock, env: {}, gitBackend: "auto" as const };
 * await assert.rejects(() => readKeelResource("keel://nope/x", ctx), /Unknown resource/);
 * ```
 */
export async function readKeelResource(
  uri: string,
  ctx: OpContext,
  options: { roots?: readonly string[] } = {},
): Promise<{ uri: string; mimeType: "application/json"; text: string }> {
  const m = /^keel:\/\/(contract|run)\/([^/?#]+)(?:\?repo=([^#&]+))?$/.exec(uri);
  if (m === null) {
    throw new KeelError("RUN_NOT_FOUND", `Unknown resource ${uri}`, {
      data: { uri, available: ["keel://contract/<name>", "keel://run/<id>"] },
    });
  }
  const id = decodeURIComponent(m[2]!);
  const repo = m[3] === undefined ? undefined : decodeURIComponent(m[3]);
  const here = repo === undefined
    ? ctx
    : { ...ctx, cwd: resolveRepoParam(repo, { roots: options.roots ?? [], cwd: ctx.cwd }) };
  const layout = locateKeel(here.cwd);
  let value: unknown;
  if (m[1] === "contract") {
    const status = await statusOp({ contract: id || DEFAULT_CONTRACT }, here);
    const c = await readContract(layout, status.contract);
    value = {
      contract: status.contract,
      status,
      intent: c.artifacts.intent,
      tests: c.artifacts.tests,
      plan: c.artifacts.plan,
    };
  } else {
    value = await loadRunReport(layout, id);
  }
  return { uri, mimeType: "application/json", text: JSON.stringify(value, null, 2) };
}
