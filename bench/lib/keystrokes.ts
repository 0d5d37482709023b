/**
 * The keystroke driver: writers take turns typing one character at a steady pace, every
 * other client of the room notes when that character reaches it, and the gap between the
 * two is one latency sample. Writers and readers share this process's clock.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import * as Y from 'yjs';
import { typingTarget, waitFor, type BenchClient } from './clients.ts';

/**
 * Each keystroke types a distinct CJK ideograph, so a reader can tell from the character
 * alone which keystroke reached it (no side channel, nothing extra in the update).
 */
const MARKER_BASE = 0x4e00;
/** Keystrokes one round can number before markers would repeat. */
export const MAX_KEYSTROKES_PER_ROUND = 0x9fff - MARKER_BASE;

/** How to type. */
export interface TypingPlan {
  /** Keystrokes typed before the measured ones, in every room. */
  warmup: number;
  /** Measured keystrokes, in every room. */
  keystrokes: number;
  /** Time between keystrokes inside a room. */
  intervalMs: number;
  /** Spread the rooms' keystrokes evenly over each interval rather than sending them together. */
  stagger: boolean;
  /** How long after the last keystroke a delivery may still arrive. */
  deliveryTimeoutMs: number;
}

/** What a typing round observed. */
export interface TypingOutcome {
  /** Latency of every observed delivery of a measured keystroke, in milliseconds. */
  latencies: number[];
  /** Per measured keystroke: until the first other client had it (the server's own delay shows here). */
  firstLatencies: number[];
  /** Per measured keystroke fully delivered: until every other client had it. */
  allLatencies: number[];
  keystrokes: number;
  /** Deliveries expected of the measured keystrokes. */
  expected: number;
  /** Deliveries never observed, warm-up included. */
  lost: number;
  disconnects: number;
  converged: boolean;
  /** Keystrokes sent per second, all rooms together. */
  sendRate: number;
}

interface RoomState {
  clients: BenchClient[];
  texts: Y.XmlText[];
  sentAt: Float64Array;
  seen: Uint32Array;
  firstAt: Float64Array;
  lastAt: Float64Array;
}

/**
 * A full collection before each round, so that a major GC of a previous round's garbage is
 * not billed to whichever server happens to be measured next. `npm run bench` cannot pass
 * --expose-gc, so the flag is set at run time and `gc` fetched from a fresh context.
 */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

/** Keystroke numbers of the marker characters a transaction added to a document. */
function* typedMarkers(doc: Y.Doc, transaction: Y.Transaction, total: number): Generator<number> {
  for (const [clientId, after] of transaction.afterState) {
    const before = transaction.beforeState.get(clientId) ?? 0;
    if (after <= before) continue;
    const structs = doc.store.clients.get(clientId)!;
    for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
      const struct = structs[i];
      if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentString)) continue;
      // A struct may start before this transaction when older characters were merged into it.
      const text = struct.content.str;
      for (let j = Math.max(0, before - struct.id.clock); j < text.length; j++) {
        const k = text.charCodeAt(j) - MARKER_BASE;
        if (k >= 0 && k < total) yield k;
      }
    }
  }
}

const sleepUntil = (time: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, time - performance.now())));

/** Type into every room at the planned pace and collect each delivery's latency. */
export async function typeAndMeasure(rooms: BenchClient[][], plan: TypingPlan): Promise<TypingOutcome> {
  const total = plan.warmup + plan.keystrokes;
  if (total > MAX_KEYSTROKES_PER_ROUND) throw new Error(`at most ${MAX_KEYSTROKES_PER_ROUND} keystrokes per round`);
  const latencies: number[] = [];
  const states: RoomState[] = rooms.map((clients) => ({
    clients,
    texts: clients.map((client) => typingTarget(client.doc)!),
    sentAt: new Float64Array(total).fill(Number.NaN),
    seen: new Uint32Array(total),
    firstAt: new Float64Array(total).fill(Number.POSITIVE_INFINITY),
    lastAt: new Float64Array(total).fill(Number.NEGATIVE_INFINITY),
  }));
  const disconnectsBefore = rooms.flat().reduce((sum, client) => sum + client.disconnects, 0);

  // Readers: after each remote transaction, read the characters it added straight from the
  // struct store. (A text observer's event.delta would walk the whole paragraph on every
  // keystroke, making the clients' cost grow with the text instead of with the change.)
  const detach: Array<() => void> = [];
  for (const state of states) {
    for (const client of state.clients) {
      const onTransaction = (transaction: Y.Transaction): void => {
        if (transaction.local) return; // the writer's own keystroke
        const now = performance.now();
        for (const k of typedMarkers(client.doc, transaction, total)) {
          if (Number.isNaN(state.sentAt[k])) continue;
          state.seen[k]++;
          state.firstAt[k] = Math.min(state.firstAt[k], now);
          state.lastAt[k] = Math.max(state.lastAt[k], now);
          if (k >= plan.warmup) latencies.push(now - state.sentAt[k]);
        }
      };
      client.doc.on('afterTransaction', onTransaction);
      detach.push(() => client.doc.off('afterTransaction', onTransaction));
    }
  }

  collectGarbage();
  // Writers: round-robin inside each room, on a fixed schedule so that a slow delivery never
  // slows the typing down (a late timer is measured from when it actually sent).
  const start = performance.now() + 20;
  const writers = states.map(async (state, r) => {
    const phase = plan.stagger ? (r * plan.intervalMs) / states.length : 0;
    for (let k = 0; k < total; k++) {
      await sleepUntil(start + phase + k * plan.intervalMs);
      const text = state.texts[k % state.texts.length];
      state.sentAt[k] = performance.now();
      text.insert(text.length, String.fromCharCode(MARKER_BASE + k));
    }
  });
  await Promise.all(writers);

  const delivered = (state: RoomState): boolean => state.seen.every((count) => count === state.clients.length - 1);
  await waitFor(() => states.every(delivered), plan.deliveryTimeoutMs, 'deliveries').catch(() => {
    // Whatever is missing by now is counted as lost below.
  });
  for (const off of detach) off();

  let lost = 0;
  const firstLatencies: number[] = [];
  const allLatencies: number[] = [];
  for (const state of states) {
    const readers = state.clients.length - 1;
    for (let k = 0; k < total; k++) {
      lost += readers - state.seen[k];
      if (k < plan.warmup) continue;
      if (state.seen[k] > 0) firstLatencies.push(state.firstAt[k] - state.sentAt[k]);
      if (state.seen[k] === readers) allLatencies.push(state.lastAt[k] - state.sentAt[k]);
    }
  }
  const converged = states.every((state) => state.texts.every((text) => text.toString() === state.texts[0].toString()));
  const disconnectsAfter = rooms.flat().reduce((sum, client) => sum + client.disconnects, 0);
  // Each room's own pace, added up: rooms × 1000 / interval when the schedule was kept.
  const sendRate = states.reduce((sum, state) => sum + ((total - 1) / (state.sentAt[total - 1] - state.sentAt[0])) * 1000, 0);
  return {
    latencies,
    firstLatencies,
    allLatencies,
    keystrokes: states.length * plan.keystrokes,
    expected: states.reduce((sum, state) => sum + plan.keystrokes * (state.clients.length - 1), 0),
    lost,
    disconnects: disconnectsAfter - disconnectsBefore,
    converged,
    sendRate: total > 1 ? sendRate : Number.NaN,
  };
}
