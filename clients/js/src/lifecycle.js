// One start of the client and the rules of its reconnects: when to try again (defaultShouldReconnect), how long to
// wait (full-jitter backoff), and a run that everything async checks, so that nothing of a stopped run acts or emits.

import { DO_NOT_RECONNECT_CLOSE_CODES, REFUSED_STATUSES } from './protocol.js';

/**
 * @import { ReconnectContext } from './index.js'
 * @import { GroupcastError } from './errors.js'
 * @import { Link } from './link.js'
 */

/**
 * Whether to reconnect, as the client decides without a `shouldReconnect` of the app's: not after a refused
 * handshake (401, 403: a retry with the same identity cannot fix it) nor after a close for cause (4403, 1008).
 * @param {ReconnectContext} context
 * @returns {boolean}
 */
export function defaultShouldReconnect(context) {
  if (context.status !== undefined && REFUSED_STATUSES.includes(context.status)) {
    return false;
  }
  return !(context.closeCode !== undefined && DO_NOT_RECONNECT_CLOSE_CODES.includes(context.closeCode));
}

/**
 * One start of the client, until stop() or a close it may not come back from: everything async checks that its run
 * is still the client's before it touches the client, so nothing of a stopped run acts or emits.
 */
export class Run {
  constructor() {
    this.controller = new AbortController();
    this.signal = this.controller.signal;
    /** @type {Set<Link>} every connection this run opened and has not closed */
    this.links = new Set();
    /** @type {Set<() => void>} */
    this.cleanups = new Set();
    /** @type {(() => void) | null} ends the backoff wait at once (the browser came back online) */
    this.wake = null;
    this.everConnected = false;
    /** @type {(value: void) => void} */
    this.resolveStarted = () => {};
    /** @type {(error: GroupcastError) => void} */
    this.rejectStarted = () => {};
    /** @type {Promise<void>} */
    this.started = new Promise((resolve, reject) => {
      this.resolveStarted = resolve;
      this.rejectStarted = reject;
    });
  }

  /**
   * Waits `ms`, or less when woken; false when the run ended meanwhile.
   * @param {number} ms
   * @returns {Promise<boolean>}
   */
  sleep(ms) {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.signal.removeEventListener('abort', done);
        this.wake = null;
        resolve(!this.signal.aborted);
      };
      const timer = setTimeout(done, ms);
      this.signal.addEventListener('abort', done);
      this.wake = done;
    });
  }

  /** @param {GroupcastError} error */
  end(error) {
    this.rejectStarted(error);
    this.controller.abort(error);
    for (const cleanup of this.cleanups) {
      cleanup();
    }
    this.cleanups.clear();
  }
}

/**
 * Full jitter: a delay drawn from 0 to min(cap, initial * 2^attempt).
 * @param {{ initialDelayMs: number, maxDelayMs: number, random: () => number }} settings
 * @param {number} attempt
 */
export function backoff({ initialDelayMs, maxDelayMs, random }, attempt) {
  return Math.floor(random() * Math.min(maxDelayMs, initialDelayMs * 2 ** attempt));
}

/**
 * A promise's value, or the signal's reason when it aborts first.
 * @template T
 * @param {Promise<T>} promise
 * @param {AbortSignal} signal
 * @returns {Promise<T>}
 */
export function untilAborted(promise, signal) {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort);
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
