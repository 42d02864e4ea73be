// Reliable delivery (groupcast.reliable.v1): the last number handed to the app per stream and its epoch, resume in
// batches the server accepts, reordering, gaps, skips and new epochs, streams the client learns of from their frames,
// and one delivery per message id. When a missing number is asked for again is holes.js's.

import { Hole } from './holes.js';
import { MAX_PREVIOUS, MAX_RESUME_STREAMS, clientFrames } from './protocol.js';

/**
 * @import { Link } from './link.js'
 * @import { ResumedFrame, StreamFrame, StreamMessageFrame } from './protocol.js'
 * @import { StreamGap } from './index.js'
 */

const RECENT_IDS = 10000;
const MAX_RESUME_ROUNDS = 20;

/** Groupcast's own groups (broadcast shards): no streams. */
const INTERNAL_PREFIX = 'groupcast:';

/**
 * @typedef {{ gap: true, to: number } | { skip: true } | { frame: StreamMessageFrame }} Entry
 * @typedef {object} Stream
 * @property {number | null} last the last number handed to the app (null: none yet, the head is not known)
 * @property {number} head the stream's last taken number, as the server last said
 * @property {string | null} epoch the numbering `last` and `head` belong to (null: not known yet)
 * @property {Set<string>} ended epochs that ended: their late frames are dropped
 * @property {Map<number, Entry>} buffer what arrived after a missing number
 * @property {Hole | null} hole the missing number waited for
 * @property {boolean} resolving a resume that learns the stream's head is due or in flight
 * @property {ReturnType<typeof setTimeout> | null} due the timer of a resume that learns the head, when it waits
 */

/**
 * @typedef {object} StreamHooks
 * @property {(frame: StreamMessageFrame) => void} deliver a message, in order, once
 * @property {(gap: StreamGap) => void} gap
 * @property {(name: string) => void} hole a stream has waited for a missing number: resume it
 */

export class ReliableStreams {
  /**
   * @param {{ holeTimeoutMs: number, random: () => number }} options
   * @param {StreamHooks} hooks
   */
  constructor(options, hooks) {
    this.options = options;
    this.hooks = hooks;
    /** @type {Map<string, Stream>} */
    this.streams = new Map();
    /** @type {Map<string, number>} streams the server said this client is not in (a leave, `ignored`): until when */
    this.outside = new Map();
    /** @type {Set<string>} */
    this.recentIds = new Set();
    /** @type {Map<Link, { names: Set<string>, done: Promise<void>, settle: (error?: unknown) => void }>} */
    this.following = new Map();
    /** @type {Set<Link>} connections with a resume of new streams in flight */
    this.flushing = new Set();
    /** @type {string[]} the ids of the client's last connections, oldest first */
    this.connections = [];
  }

  /**
   * A connection of this client (its id from `whoami`): a resume on a later one names it in `previous`, so that a
   * message excluded from it (`noEcho`, `exceptConnectionIds`) is not sent to its successor either.
   * @param {string | undefined} id
   */
  connected(id) {
    if (id && !this.connections.includes(id)) {
      this.connections.push(id);
      this.connections.splice(0, Math.max(0, this.connections.length - MAX_PREVIOUS - 1));
    }
  }

  /**
   * Starts following a stream just joined on `link`: learns where it is (its head), so that its next message is known
   * to be the next one. Streams joined meanwhile share one resume: while one is in flight, the next collects them, so a
   * burst of joins costs a few resumes, not one each. Resolves once this stream's resume is answered.
   * @param {Link} link
   * @param {string} name
   * @returns {Promise<void>}
   */
  follow(link, name) {
    this.stream(name);
    let batch = this.following.get(link);
    if (!batch) {
      /** @type {(error?: unknown) => void} */
      let settle = () => {};
      /** @type {Promise<void>} */
      const done = new Promise((resolve, reject) => {
        settle = (error) => (error === undefined ? resolve() : reject(error));
      });
      batch = { names: new Set(), done, settle };
      this.following.set(link, batch);
      if (!this.flushing.has(link)) {
        this.flushing.add(link);
        queueMicrotask(() => this.flush(link));
      }
    }
    batch.names.add(name);
    return batch.done;
  }

  /** @param {Link} link */
  async flush(link) {
    try {
      for (let batch = this.following.get(link); batch; batch = this.following.get(link)) {
        this.following.delete(link);
        try {
          await this.resume(link, { only: [...batch.names] });
          batch.settle();
        } catch (e) {
          batch.settle(e ?? new Error('resume failed'));
        }
      }
    } finally {
      this.flushing.delete(link);
    }
  }

  /**
   * A group is about to be joined: its frames (a rewind's, live ones racing the ack) wait for the join's resume, which
   * learns the head. Answers whether the head is still to be learnt.
   * @param {string} name
   */
  expect(name) {
    this.outside.delete(name);
    const state = this.stream(name);
    if (state.last === null) {
      state.resolving = true;
    }
    return state.last === null;
  }

  /**
   * The join that {@link expect} announced is over: its resume answered, or the join failed (then a stream with no
   * head is dropped, and what it buffered with it).
   * @param {string} name
   * @param {boolean} joined
   */
  expected(name, joined) {
    const state = this.streams.get(name);
    if (state) {
      state.resolving = false;
      if (!joined && state.last === null) {
        this.forget(name);
      }
    }
  }

  /**
   * The groups a new connection is in (its `whoami`): its user stream, links applied at connect. Each is followed, so
   * the set-up's resume learns its head.
   * @param {string[]} groups
   */
  adopt(groups) {
    for (const name of groups) {
      if (!name.startsWith(INTERNAL_PREFIX)) {
        this.outside.delete(name);
        this.stream(name);
      }
    }
  }

  /** @param {string} name */
  has(name) {
    return this.streams.has(name);
  }

  /** @param {string} name */
  forget(name) {
    const state = this.streams.get(name);
    if (state) {
      this.stopTimers(state);
    }
    this.streams.delete(name);
  }

  /**
   * The client is not in a stream (its leave was acked, or a resume named it `ignored`): forgotten, and a frame of it
   * that still arrives (one on its way before the leave) is checked with the server no sooner than a hole would be.
   * @param {string} name
   */
  exclude(name) {
    this.forget(name);
    this.outside.set(name, Date.now() + this.options.holeTimeoutMs);
  }

  /** Stops every hole timer (the client stopped); positions are kept for a later start. */
  pause() {
    for (const state of this.streams.values()) {
      this.stopTimers(state);
    }
  }

  /**
   * Asks `link` to resume every stream this client knows (or `only` these) from the last number it handed to the app,
   * in its epoch, in batches of at most 100 streams (the server refuses more), sent together; each batch is asked
   * again while the server says there is `more`. The server sends what was missed, a skip for what was not for this
   * client and a gap for what expired, then `resumed`.
   * @param {Link} link
   * @param {{ only?: string[], timeoutMs?: number }} [options]
   */
  async resume(link, { only, timeoutMs } = {}) {
    if (!link.reliable) {
      return;
    }
    const names = [...this.streams.keys()].filter((name) => !only || only.includes(name));
    /** @type {string[][]} */
    const batches = [];
    for (let i = 0; i < names.length; i += MAX_RESUME_STREAMS) {
      batches.push(names.slice(i, i + MAX_RESUME_STREAMS));
    }
    await Promise.all(batches.map((batch) => this.resumeBatch(link, batch, timeoutMs)));
  }

  /**
   * @param {Link} link
   * @param {string[]} batch
   * @param {number | undefined} timeoutMs
   */
  async resumeBatch(link, batch, timeoutMs) {
    for (let round = 0; round < MAX_RESUME_ROUNDS; round++) {
      /** @type {Record<string, number | null>} */
      const streams = {};
      /** @type {Record<string, string>} */
      const epochs = {};
      for (const name of batch) {
        const state = this.streams.get(name);
        if (state) {
          streams[name] = state.last;
          if (state.last !== null && state.epoch !== null) {
            epochs[name] = state.epoch;
          }
        }
      }
      if (Object.keys(streams).length === 0) {
        return;
      }
      const previous = this.connections.filter((id) => id !== link.connectionId).slice(-MAX_PREVIOUS);
      const frame = clientFrames.resume(streams, epochs, previous);
      const resumed = /** @type {ResumedFrame} */ (await link.request(frame, { timeoutMs }));
      this.resumed(resumed);
      if (!resumed.more) {
        return;
      }
    }
  }

  /**
   * The answer to a resume: each stream's head and epoch. A new epoch, or none where the client had one (the store
   * lost the stream's numbering and it has numbered nothing since), starts the stream afresh. (A head below the last
   * number handed over is no sign: it was read before live frames that came first.)
   * @param {ResumedFrame} resumed
   */
  resumed(resumed) {
    for (const [name, head] of Object.entries(resumed.heads)) {
      const state = this.streams.get(name);
      if (!state || typeof head !== 'number') {
        continue;
      }
      const epoch = resumed.epochs[name] || null;
      if (epoch !== null && state.ended.has(epoch)) {
        continue;
      }
      if (state.epoch !== null && epoch !== state.epoch && state.last !== null) {
        this.reset(name, state, epoch);
      }
      if (state.epoch === null) {
        state.epoch = epoch;
      }
      this.baseline(name, head);
    }
    for (const name of resumed.ignored || []) {
      this.exclude(name);
    }
  }

  /**
   * Takes a frame of a stream (a numbered message, a gap, a skip), buffering it until what comes before it is in. A
   * frame of a stream whose head the client does not know (the server added the connection to a group, a join's ack
   * is still on its way) is kept while a resume on `link` learns the head.
   * @param {StreamFrame} frame
   * @param {Link} link the connection it came on
   */
  receive(frame, link) {
    const name = frame.stream;
    const state = this.stream(name);
    if (!this.inEpoch(name, state, frame.epoch)) {
      return; // a late frame of a numbering that ended
    }
    if (frame.type === 'gap') {
      if (frame.to === undefined) {
        this.reset(name, state, null); // everything after `from` of this epoch is gone: the stream began again
        return;
      }
      if (state.last === null || frame.to > state.last) {
        const from = state.last === null ? frame.from : Math.max(frame.from, state.last + 1);
        state.buffer.set(from, { gap: true, to: frame.to });
      }
    } else if (state.last === null || frame.seq > state.last) {
      // a skip: a number of this stream that was never for this connection (it was excluded)
      state.buffer.set(frame.seq, frame.type === 'skip' ? { skip: true } : { frame });
    } // else handed over already: a replay overlapping live frames, or the other connection of a rollover
    if (state.last === null) {
      this.resolve(link, name, state);
    }
    this.drain(name, state);
  }

  /**
   * Whether a frame of `epoch` belongs to the stream's numbering: the first epoch seen is taken; a new one starts the
   * stream afresh; an ended one is not.
   * @param {string} name
   * @param {Stream} state
   * @param {string | undefined} epoch
   */
  inEpoch(name, state, epoch) {
    if (!epoch) {
      return true; // a server without epochs
    }
    if (state.ended.has(epoch)) {
      return false;
    }
    if (state.epoch === null) {
      state.epoch = epoch;
    } else if (state.epoch !== epoch) {
      this.reset(name, state, epoch);
    }
    return true;
  }

  /**
   * The stream's numbering began again (a new epoch: the store lost it): what arrived of the old one is handed over in
   * order with a gap for each hole, then a `gap` with `reset` says that nothing more of it will come; the new
   * numbering starts at 1.
   * @param {string} name
   * @param {Stream} state
   * @param {string | null} epoch the new epoch, when known
   */
  reset(name, state, epoch) {
    const old = state.epoch ?? undefined;
    if (old !== undefined) {
      state.ended.add(old);
    }
    this.stopHole(state);
    if (state.last !== null) {
      let last = state.last;
      for (const seq of [...state.buffer.keys()].sort((a, b) => a - b)) {
        const entry = /** @type {Entry} */ (state.buffer.get(seq));
        if (seq > last + 1) {
          this.hooks.gap({ stream: name, from: last + 1, to: seq - 1, epoch: old });
        }
        if ('gap' in entry) {
          this.hooks.gap({ stream: name, from: seq, to: entry.to, epoch: old });
          last = entry.to;
        } else {
          if ('frame' in entry) {
            this.deliver(entry.frame);
          }
          last = seq;
        }
      }
      this.hooks.gap({ stream: name, from: last + 1, epoch: old, reset: true });
      state.last = 0;
    }
    state.buffer.clear();
    state.head = 0;
    state.epoch = epoch;
  }

  /**
   * Learns the head of a stream the client has no head of, with one resume on `link` (shared with other streams),
   * at once, or for a stream the server said the client is not in, no sooner than that said.
   * @param {Link} link
   * @param {string} name
   * @param {Stream} state
   */
  resolve(link, name, state) {
    if (state.resolving) {
      return;
    }
    state.resolving = true;
    const check = () => {
      if (this.streams.get(name) !== state) {
        return;
      }
      this.follow(link, name)
        .catch(() => {}) // the connection went: the reconnect's resume learns it
        .finally(() => {
          state.resolving = false;
        });
    };
    const wait = (this.outside.get(name) ?? 0) - Date.now();
    if (wait > 0) {
      state.due = setTimeout(() => {
        state.due = null;
        check();
      }, wait);
    } else {
      check();
    }
  }

  /**
   * A stream's head: where a stream without history starts (keeping what already arrived after it).
   * @param {string} name
   * @param {number} head
   */
  baseline(name, head) {
    const state = this.stream(name);
    state.head = Math.max(state.head, head);
    if (state.last === null) {
      const firstBuffered = Math.min(...state.buffer.keys());
      state.last = Math.min(head, firstBuffered - 1);
    }
    this.drain(name, state);
  }

  /** @param {string} name */
  stream(name) {
    let state = this.streams.get(name);
    if (!state) {
      state = {
        last: null,
        head: 0,
        epoch: null,
        ended: new Set(),
        buffer: new Map(),
        hole: null,
        resolving: false,
        due: null,
      };
      this.streams.set(name, state);
    }
    return state;
  }

  /**
   * Delivers a stream's buffered messages and gaps in order; a hole is waited for, then asked for.
   * @param {string} name
   * @param {Stream} state
   */
  drain(name, state) {
    if (state.last === null) {
      return;
    }
    let last = state.last;
    for (;;) {
      const next = last + 1;
      const entry = state.buffer.get(next);
      if (!entry) {
        break;
      }
      state.buffer.delete(next);
      last = 'gap' in entry ? entry.to : next;
      state.last = last;
      if ('gap' in entry) {
        this.hooks.gap({ stream: name, from: next, to: entry.to, epoch: state.epoch ?? undefined });
      } else if ('frame' in entry) {
        this.deliver(entry.frame);
      }
    }
    for (const seq of state.buffer.keys()) {
      if (seq <= last) {
        state.buffer.delete(seq);
      }
    }
    this.awaitHole(name, state);
  }

  /**
   * A hole (messages after a missing number, or a head beyond the last delivered: numbers taken, messages on their
   * way) is waited for, then asked for with a resume of the stream ({@link Hole}); a wait already running for the same
   * number goes on, whatever arrived meanwhile.
   * @param {string} name
   * @param {Stream} state
   */
  awaitHole(name, state) {
    const last = /** @type {number} */ (state.last);
    if (state.buffer.size === 0 && state.head <= last) {
      this.stopHole(state);
      return;
    }
    if (state.hole && state.hole.seq === last + 1) {
      return; // already waiting for this number
    }
    this.stopHole(state);
    state.hole = new Hole(last + 1, this.options, () => {
      if (this.streams.get(name) === state) {
        this.hooks.hole(name);
      }
    });
  }

  /** @param {Stream} state */
  stopHole(state) {
    state.hole?.stop();
    state.hole = null;
  }

  /** Stops every timer of a stream: its hole's, and a resume that waits to learn its head. @param {Stream} state */
  stopTimers(state) {
    this.stopHole(state);
    if (state.due) {
      clearTimeout(state.due);
      state.due = null;
    }
    state.resolving = false;
  }

  /**
   * Hands a message to the app once, even when it came through several streams (the same id).
   * @param {StreamMessageFrame} frame
   */
  deliver(frame) {
    if (frame.id) {
      if (this.recentIds.has(frame.id)) {
        return;
      }
      this.recentIds.add(frame.id);
      if (this.recentIds.size > RECENT_IDS) {
        this.recentIds.delete(/** @type {string} */ (this.recentIds.values().next().value));
      }
    }
    this.hooks.deliver(frame);
  }
}
