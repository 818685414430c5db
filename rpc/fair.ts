/**
 * Fair sharing of request slots between the connections of one server.
 * Requests wait for a slot; when one frees, the connections take turns
 * (round robin), and no connection runs more than its share at once, so one
 * client with a deep pipeline or a long batch cannot hold every slot. The work
 * still queued for a connection that was dropped is discarded.
 *
 * @module
 */

/** Longest stretch of work before {@link yieldToIo} lets the event loop poll I/O: 4 ms. */
export const SLICE_MS = 4;

let _sliceStart = performance.now();

/**
 * Let the event loop poll I/O (other connections' reads and writes) if the
 * process has worked for more than {@link SLICE_MS} since it last did so;
 * otherwise return at once. A timer is the yield that lets I/O in: immediates
 * and message ports run before the poll.
 *
 * @returns When other work has had its turn.
 */
export async function yieldToIo(): Promise<void> {
  if (performance.now() - _sliceStart < SLICE_MS) return;
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
  _sliceStart = performance.now();
}

/** Thrown to a waiting request whose connection was dropped. */
export class DroppedError extends Error {
  constructor() {
    super("the connection was dropped");
    this.name = "DroppedError";
  }
}

/** One connection's place in the scheduler. */
export interface FairOwner {
  /** Wait for a slot (rejects with {@link DroppedError} once dropped). */
  acquire(): Promise<void>;
  /** Give the slot back. */
  release(): void;
  /** Give the slot to the next connection in turn, and wait for this one's next turn. */
  yieldTurn(): Promise<void>;
  /** Discard this connection's waiting requests; later acquires reject. */
  drop(): void;
  /**
   * Mark the client's input as ended: it may have left, so its requests take
   * at most every other turn while a connection still sending waits.
   */
  ended(): void;
}

/** A scheduler shared by the connections of one server. */
export interface FairScheduler {
  /** A new connection's handle. */
  owner(): FairOwner;
  /** Slots in use (for tests and statistics). */
  readonly running: number;
}

/** Options of {@link createFairScheduler}. */
export interface FairOptions {
  /** Requests run at once over all connections (default 8). */
  slots?: number;
  /** Requests one connection runs at once (default half the slots, at least 1). */
  perOwner?: number;
}

interface _Owner {
  waiting: { grant: () => void; refuse: (e: Error) => void }[];
  running: number;
  dropped: boolean;
  /** Sequence number of its last grant (-1: never): the least recent goes next. */
  lastGrant: number;
  ended: boolean;
}

/**
 * Build a scheduler.
 *
 * @param options Slot counts.
 * @returns The scheduler.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createFairScheduler } from "./fair.ts";
 * const s = createFairScheduler({ slots: 1 });
 * const a = s.owner();
 * const b = s.owner();
 * const order: string[] = [];
 * await a.acquire();
 * const pa = a.acquire().then(() => order.push("a2"));
 * const pb = b.acquire().then(() => order.push("b1"));
 * a.release(); // b waited as long as a's second request: b goes first
 * await pb;
 * b.release();
 * await pa;
 * a.release();
 * assert.deepEqual(order, ["b1", "a2"]);
 * ```
 */
export function createFairScheduler(options: FairOptions = {}): FairScheduler {
  const slots = Math.max(1, options.slots ?? 8);
  const perOwner = Math.max(1, Math.min(slots, options.perOwner ?? Math.floor(slots / 2)));
  let running = 0;
  let seq = 0;
  // Owners with waiting requests.
  const ring: _Owner[] = [];

  let lastWentToEnded = false;

  function pump(): void {
    while (running < slots) {
      let i = -1;
      let live = -1;
      for (let k = 0; k < ring.length; k++) {
        const o = ring[k]!;
        if (o.running >= perOwner) continue;
        if (i < 0 || o.lastGrant < ring[i]!.lastGrant) i = k;
        if (!o.ended && (live < 0 || o.lastGrant < ring[live]!.lastGrant)) live = k;
      }
      if (i < 0) return;
      if (lastWentToEnded && live >= 0) i = live;
      const o = ring[i]!;
      lastWentToEnded = o.ended;
      const w = o.waiting.shift()!;
      if (o.waiting.length === 0) ring.splice(i, 1);
      running++;
      o.running++;
      o.lastGrant = seq++;
      w.grant();
    }
  }

  function enqueue(o: _Owner): Promise<void> {
    if (o.dropped) return Promise.reject(new DroppedError());
    return new Promise<void>((grant, refuse) => {
      o.waiting.push({ grant, refuse });
      if (!ring.includes(o)) ring.push(o);
      pump();
    });
  }

  function release(o: _Owner): void {
    running--;
    o.running--;
    pump();
  }

  return {
    get running() {
      return running;
    },
    owner(): FairOwner {
      const o: _Owner = { waiting: [], running: 0, dropped: false, lastGrant: -1, ended: false };
      return {
        acquire: () => enqueue(o),
        release: () => release(o),
        async yieldTurn() {
          // Let I/O of other connections run, then queue behind them.
          await yieldToIo();
          if (o.dropped) throw new DroppedError();
          running--;
          o.running--;
          try {
            await enqueue(o);
          } catch (e) {
            // Dropped while waiting: the caller still releases the slot it held.
            running++;
            o.running++;
            throw e;
          }
        },
        ended() {
          o.ended = true;
        },
        drop() {
          o.dropped = true;
          const i = ring.indexOf(o);
          if (i >= 0) ring.splice(i, 1);
          for (const w of o.waiting.splice(0)) w.refuse(new DroppedError());
        },
      };
    },
  };
}
