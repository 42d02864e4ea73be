// One WebSocket connection and the operations on it: each frame carries an `ackId` (a positive integer, counted per
// connection from 1), operations are pipelined, and each answer settles the operation whose ackId it echoes.

import { GroupcastError } from './errors.js';
import { MAX_FRAME_BYTES, PING_FRAME, byteLength, refusalStatus, writeFrame } from './protocol.js';

/**
 * @import { WebSocketLike } from './index.js'
 * @import { AnswerFrame, ClientFrame } from './protocol.js'
 * @import { Logger } from './log.js'
 */

const OPEN = 1;
const CLOSED = 3;

/** Operations in flight on one connection at most: more wait, so that a server handling a connection's frames in
 * order does not keep the last of a burst past its timeout. */
const MAX_IN_FLIGHT = 32;

/**
 * @typedef {object} Pending  an operation waiting for its answer
 * @property {ClientFrame} frame
 * @property {number} ackId
 * @property {(frame: AnswerFrame) => void} resolve
 * @property {(error: GroupcastError) => void} reject
 */

/**
 * @typedef {object} Waiting  an operation waiting for a slot
 * @property {() => void} send
 * @property {(error: GroupcastError) => void} reject
 */

/**
 * @typedef {object} LinkHooks  what the client does with a link's frames and its close
 * @property {(link: Link, text: string) => void} frame
 * @property {(link: Link, event: { code: number, reason: string }) => void} close
 */

export class Link {
  /**
   * @param {WebSocketLike} socket a socket just constructed (connecting)
   * @param {{ ackTimeoutMs: number, logger: Logger }} options
   */
  constructor(socket, options) {
    this.socket = socket;
    this.options = options;
    /** False once the client let go of this connection: its frames are dropped from then on. */
    this.live = true;
    /** Groups joined on this connection (acked). */
    this.joined = new Set();
    /** Groups the server refused to rejoin on this connection (not asked again on it). */
    this.failed = new Set();
    this.openedAt = 0;
    this.reliable = false;
    this.enveloped = false;
    /**
     * Whether the server echoes ackIds: unknown (null) until it answered `whoami`; a server without ackIds (older than
     * this client) answers one operation at a time, in order, so operations then wait for each other.
     * @type {boolean | null}
     */
    this.ackIds = null;
    /** @type {string | undefined} */
    this.connectionId = undefined;
    /** @type {string | undefined} */
    this.userId = undefined;
    /** @type {ReturnType<typeof setTimeout> | null} the deadline of the ping in flight */
    this.pongDeadline = null;
    /** @type {ReturnType<typeof setInterval> | null} */
    this.keepAlive = null;
    /** @type {ReturnType<typeof setTimeout> | null} */
    this.rollover = null;
    /** @type {Map<number, Pending>} */
    this.pending = new Map();
    this.nextAckId = 1;
    /** Operations waiting for a slot, in order. @type {Set<Waiting>} */
    this.waiting = new Set();
    this.inFlight = 0;
    /** @type {{ code: number, reason: string } | null} */
    this.closeEvent = null;
    /** @type {Promise<void>} */
    this.closed = new Promise((resolve) => {
      this.markClosed = resolve;
    });
  }

  /**
   * Resolves once the socket is open; rejects when it closes first (code `connect_refused` with the HTTP status when
   * the WebSocket class tells it, else `connect_failed`), after `timeoutMs` (`connect_timeout`), or when aborted.
   * Afterwards the hooks get the link's frames and its close.
   * @param {{ timeoutMs: number, signal: AbortSignal, hooks: LinkHooks, protocols: { json: string, reliable: string } }} how
   * @returns {Promise<void>}
   */
  open({ timeoutMs, signal, hooks, protocols }) {
    const socket = this.socket;
    /** @type {number | undefined} */
    let status;
    socket.onmessage = (event) => {
      if (typeof event.data === 'string') {
        hooks.frame(this, event.data);
      }
    };
    return new Promise((resolve, reject) => {
      let settled = false;
      /** @param {GroupcastError | null} error */
      const settle = (error) => {
        if (settled) {
          return;
        }
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', aborted);
        if (error) {
          reject(error);
        } else {
          resolve();
        }
      };
      const aborted = () => settle(new GroupcastError('stopped', 'the client stopped while connecting'));
      const timer = setTimeout(
        () => settle(new GroupcastError('connect_timeout', `the connection did not open within ${timeoutMs} ms`)),
        timeoutMs,
      );
      signal.addEventListener('abort', aborted);
      socket.onerror = (event) => {
        status = status ?? refusalStatus(event);
      };
      socket.onopen = () => {
        this.openedAt = Date.now();
        this.reliable = socket.protocol === protocols.reliable;
        this.enveloped = socket.protocol === protocols.json || this.reliable;
        settle(null);
      };
      socket.onclose = (event) => {
        this.closeEvent = { code: event.code, reason: event.reason || '' };
        this.markClosed();
        this.abandon(
          new GroupcastError('not_connected', `the connection closed (${event.code})`, {
            closeCode: event.code,
            closeReason: event.reason || undefined,
          }),
        );
        if (status !== undefined) {
          settle(
            new GroupcastError('connect_refused', `the connection was refused with ${status}`, {
              status,
              closeCode: event.code,
            }),
          );
        } else {
          settle(
            new GroupcastError('connect_failed', `the connection was refused or closed (${event.code})`, {
              closeCode: event.code,
              closeReason: event.reason || undefined,
            }),
          );
        }
        hooks.close(this, this.closeEvent);
      };
    });
  }

  /**
   * Sends a frame with the next ackId and resolves with its answer; rejects with a GroupcastError carrying the error
   * frame's code, or `timeout`, `aborted`, `not_connected`, `message_too_large`. At most 32 operations are in flight
   * on a connection (one on a server without ackIds); the others wait for a slot, and their timeout starts when they
   * are sent.
   * @param {ClientFrame} frame
   * @param {{ signal?: AbortSignal, timeoutMs?: number }} [options] `timeoutMs`: ackTimeoutMs by default
   * @returns {Promise<AnswerFrame>}
   */
  request(frame, { signal, timeoutMs = this.options.ackTimeoutMs } = {}) {
    if (signal?.aborted) {
      return Promise.reject(abortError(frame, signal));
    }
    return new Promise((resolve, reject) => {
      /** @type {Waiting} */
      const waiting = {
        send: () => {
          signal?.removeEventListener('abort', aborted);
          this.inFlight += 1;
          this.exchange(frame, signal, timeoutMs)
            .then(resolve, reject)
            .finally(() => {
              this.inFlight -= 1;
              this.admit();
            });
        },
        reject: (error) => {
          signal?.removeEventListener('abort', aborted);
          reject(error);
        },
      };
      const aborted = () => {
        this.waiting.delete(waiting);
        waiting.reject(abortError(frame, signal));
      };
      if (this.inFlight < this.window()) {
        waiting.send();
      } else {
        this.waiting.add(waiting);
        signal?.addEventListener('abort', aborted);
      }
    });
  }

  /** How many operations may be in flight: many when answers carry their ackId, else one. */
  window() {
    return this.ackIds ? MAX_IN_FLIGHT : 1;
  }

  /** Sends waiting operations while there are free slots. */
  admit() {
    for (const waiting of this.waiting) {
      if (this.inFlight >= this.window()) {
        return;
      }
      this.waiting.delete(waiting);
      waiting.send();
    }
  }

  /**
   * @param {ClientFrame} frame
   * @param {AbortSignal | undefined} signal
   * @param {number} timeoutMs
   * @returns {Promise<AnswerFrame>}
   */
  exchange(frame, signal, timeoutMs) {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortError(frame, signal));
        return;
      }
      if (!this.live || this.socket.readyState !== OPEN) {
        reject(new GroupcastError('not_connected', 'the connection is not open'));
        return;
      }
      const ackId = this.nextAckId++;
      const text = writeFrame(frame, ackId);
      if (byteLength(text) > MAX_FRAME_BYTES) {
        reject(new GroupcastError('message_too_large', `the frame is over ${MAX_FRAME_BYTES} bytes`, groupOf(frame)));
        return;
      }
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', aborted);
        this.pending.delete(ackId);
      };
      const aborted = () => {
        done();
        reject(abortError(frame, signal));
      };
      const timer = setTimeout(() => {
        done();
        reject(new GroupcastError('timeout', `no answer to ${frame.action} within ${timeoutMs} ms`, groupOf(frame)));
      }, timeoutMs);
      signal?.addEventListener('abort', aborted);
      this.pending.set(ackId, {
        frame,
        ackId,
        resolve: (answer) => {
          done();
          resolve(answer);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      });
      try {
        this.socket.send(text);
      } catch (e) {
        this.pending.get(ackId)?.reject(new GroupcastError('not_connected', `cannot send: ${messageOf(e)}`));
      }
    });
  }

  /**
   * Settles the operation this answer is for: the one whose ackId it echoes; without an ackId (a server that has
   * none) the oldest, the only one in flight. Answers whether it was one (false: a late answer, or on a plain
   * connection a message that looks like one).
   * @param {AnswerFrame} frame
   */
  answer(frame) {
    /** @type {Pending | undefined} */
    let pending;
    if (frame.ackId !== undefined) {
      pending = this.pending.get(frame.ackId);
      if (pending && this.ackIds === null) {
        this.ackIds = true;
      }
    } else if (this.ackIds !== true) {
      pending = this.pending.values().next().value;
    }
    if (!pending) {
      if (this.enveloped) {
        this.options.logger.debug('an answer matching no operation in flight (late, or for an aborted one)', {
          type: frame.type,
          ackId: frame.ackId,
        });
      }
      return this.enveloped;
    }
    if (frame.type === 'error') {
      pending.reject(new GroupcastError(frame.error, frame.message, { ...groupOf(pending.frame), ackId: frame.ackId }));
    } else {
      pending.resolve(frame);
    }
    return true;
  }

  /**
   * Fails every operation in flight: the connection is gone.
   * @param {GroupcastError} error
   */
  abandon(error) {
    for (const waiting of [...this.waiting]) {
      this.waiting.delete(waiting);
      waiting.reject(new GroupcastError(error.code, error.message, { closeCode: error.closeCode }));
    }
    for (const pending of [...this.pending.values()]) {
      pending.reject(
        new GroupcastError(error.code, error.message, { ...groupOf(pending.frame), closeCode: error.closeCode }),
      );
    }
  }

  /**
   * Sends a ping unless one is in flight; `dead` runs when its pong has not come within `timeoutMs`.
   * @param {number} timeoutMs
   * @param {() => void} dead
   */
  ping(timeoutMs, dead) {
    if (this.pongDeadline || !this.live || this.socket.readyState !== OPEN) {
      return;
    }
    this.pongDeadline = setTimeout(() => {
      this.pongDeadline = null;
      dead();
    }, timeoutMs);
    try {
      this.socket.send(PING_FRAME);
    } catch {
      // the close event follows
    }
  }

  /** A pong came: the connection is alive. */
  pong() {
    if (this.pongDeadline) {
      clearTimeout(this.pongDeadline);
      this.pongDeadline = null;
    }
  }

  /** Stops the link's timers (keep-alive, pong deadline, rollover). */
  dispose() {
    for (const timer of [this.pongDeadline, this.rollover]) {
      if (timer) {
        clearTimeout(timer);
      }
    }
    if (this.keepAlive) {
      clearInterval(this.keepAlive);
    }
    this.pongDeadline = null;
    this.rollover = null;
    this.keepAlive = null;
  }

  /**
   * Lets go of the connection: its frames are dropped from now on, what waits on it fails, and the socket is closed.
   * Resolves once it has closed, or after `timeoutMs`, when a socket that can (the `ws` package's) is cut instead.
   * @param {number} timeoutMs
   * @param {string} reason
   * @returns {Promise<void>}
   */
  close(timeoutMs, reason) {
    this.live = false;
    this.dispose();
    this.abandon(new GroupcastError('not_connected', `the connection was closed: ${reason}`));
    const socket = this.socket;
    if (socket.readyState === CLOSED || this.closeEvent) {
      return Promise.resolve();
    }
    if (!socket.onclose) {
      socket.onclose = () => this.markClosed();
    }
    try {
      socket.close(1000, reason);
    } catch {
      terminate(socket);
    }
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    const cut = new Promise((resolve) => {
      timer = setTimeout(() => {
        terminate(socket);
        resolve(undefined);
      }, timeoutMs);
    });
    return Promise.race([this.closed, cut]).then(() => {
      clearTimeout(timer);
      // a cut socket reports its close right after
      return socket.readyState === CLOSED ? undefined : Promise.race([this.closed, delay(100)]);
    });
  }
}

/** @param {WebSocketLike} socket */
function terminate(socket) {
  const cut = /** @type {{ terminate?: () => void }} */ (/** @type {unknown} */ (socket)).terminate;
  if (typeof cut === 'function') {
    try {
      cut.call(socket);
    } catch {
      // closed meanwhile
    }
  }
}

/** @param {number} ms */
function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** @param {ClientFrame} frame */
function groupOf(frame) {
  return 'group' in frame ? { group: frame.group } : {};
}

/**
 * @param {ClientFrame} frame
 * @param {AbortSignal | undefined} signal
 */
function abortError(frame, signal) {
  const reason = signal?.reason;
  const why = reason instanceof Error ? `: ${reason.message}` : '';
  return new GroupcastError('aborted', `${frame.action} aborted${why}`, groupOf(frame));
}

/** @param {unknown} e */
function messageOf(e) {
  return e instanceof Error ? e.message : String(e);
}
