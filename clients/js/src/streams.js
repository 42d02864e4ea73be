// Reliable delivery (groupcast.reliable.v1): the last number handed to the app per stream, resume in batches the
// server accepts, reordering, gaps and skips, and one delivery per message id.

import { MAX_RESUME_STREAMS, clientFrames } from './protocol.js';

/**
 * @import { Link } from './link.js'
 * @import { ResumedFrame, StreamFrame, StreamMessageFrame } from './protocol.js'
 */

const RECENT_IDS = 10000;
const MAX_RESUME_ROUNDS = 20;

/**
 * @typedef {{ gap: true, to: number } | { skip: true } | { frame: StreamMessageFrame }} Entry
 * @typedef {object} Stream
 * @property {number | null} last the last number handed to the app (null: none yet, the head is not known)
 * @property {number} head the stream's last taken number, as the server last said
 * @property {Map<number, Entry>} buffer what arrived after a missing number
 * @property {ReturnType<typeof setTimeout> | null} hole the timer that asks for a missing number again
 */

/**
 * @typedef {object} StreamHooks
 * @property {(frame: StreamMessageFrame) => void} deliver a message, in order, once
 * @property {(gap: { stream: string, from: number, to: number }) => void} gap
 * @property {(name: string) => void} hole a stream has waited `holeTimeoutMs` for a missing number: resume it
 */

export class ReliableStreams {
  /**
   * @param {{ holeTimeoutMs: number }} options
   * @param {StreamHooks} hooks
   */
  constructor(options, hooks) {
    this.options = options;
    this.hooks = hooks;
    /** @type {Map<string, Stream>} */
    this.streams = new Map();
    /** @type {Set<string>} */
    this.recentIds = new Set();
    /** @type {Map<Link, { names: Set<string>, done: Promise<void>, settle: (error?: unknown) => void }>} */
    this.following = new Map();
    /** @type {Set<Link>} connections with a resume of new streams in flight */
    this.flushing = new Set();
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
    this.track(name);
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

  /** @param {string} name */
  has(name) {
    return this.streams.has(name);
  }

  /**
   * Starts following a stream (a group just joined): its position comes with the next resume.
   * @param {string} name
   */
  track(name) {
    this.stream(name);
  }

  /** @param {string} name */
  forget(name) {
    const state = this.streams.get(name);
    if (state?.hole) {
      clearTimeout(state.hole);
    }
    this.streams.delete(name);
  }

  /** Stops every hole timer (the client stopped); positions are kept for a later start. */
  pause() {
    for (const state of this.streams.values()) {
      if (state.hole) {
        clearTimeout(state.hole);
        state.hole = null;
      }
    }
  }

  /**
   * Asks `link` to resume every stream this client knows (or `only` these) from the last number it handed to the app,
   * in batches of at most 100 streams (the server refuses more), sent together; each batch is asked again while the
   * server says there is `more`. The server sends what was missed and a gap for what expired, then `resumed`.
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
    if (batches.length === 0) {
      batches.push([]); // still learn the heads of the streams the connection is in (its user stream)
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
      for (const name of batch) {
        const state = this.streams.get(name);
        if (state) {
          streams[name] = state.last;
        }
      }
      const resumed = /** @type {ResumedFrame} */ (await link.request(clientFrames.resume(streams), { timeoutMs }));
      for (const [name, head] of Object.entries(resumed.heads)) {
        if (typeof head === 'number') {
          this.baseline(name, head);
        }
      }
      for (const name of resumed.ignored || []) {
        this.forget(name);
      }
      if (!resumed.more) {
        return;
      }
    }
  }

  /**
   * Takes a frame of a stream (a numbered message, a gap, a skip), buffering it until what comes before it is in.
   * @param {StreamFrame} frame
   */
  receive(frame) {
    const state = this.stream(frame.stream);
    if (frame.type === 'gap') {
      if (state.last === null || frame.to > state.last) {
        const from = state.last === null ? frame.from : Math.max(frame.from, state.last + 1);
        state.buffer.set(from, { gap: true, to: frame.to });
      }
    } else if (state.last === null || frame.seq > state.last) {
      // a skip: a number of this stream that was never for this connection (it was excluded)
      state.buffer.set(frame.seq, frame.type === 'skip' ? { skip: true } : { frame });
    } // else delivered already: a replay, or the other connection of a rollover
    this.drain(frame.stream, state);
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
      state = { last: null, head: 0, buffer: new Map(), hole: null };
      this.streams.set(name, state);
    }
    return state;
  }

  /**
   * Delivers a stream's buffered messages and gaps in order; a hole waits a moment, then asks for a resume.
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
        this.hooks.gap({ stream: name, from: next, to: entry.to });
      } else if ('frame' in entry) {
        this.deliver(entry.frame);
      }
    }
    for (const seq of state.buffer.keys()) {
      if (seq <= last) {
        state.buffer.delete(seq);
      }
    }
    if (state.hole) {
      clearTimeout(state.hole);
      state.hole = null;
    }
    // a hole: messages after a missing one, or a head beyond the last delivered (numbers taken, messages on their way)
    const hole = () => state.buffer.size > 0 || state.head > (state.last ?? 0);
    if (hole()) {
      state.hole = setTimeout(() => {
        state.hole = null;
        if (hole() && this.streams.get(name) === state) {
          this.hooks.hole(name);
        }
      }, this.options.holeTimeoutMs);
    }
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
