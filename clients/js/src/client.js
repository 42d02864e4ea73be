// The client's lifecycle: start and stop, connect with a timeout, set a connection up (whoami, rejoin, resume),
// reconnect with backoff unless told not to, keep alive, and roll over before API Gateway's two-hour cut.

import { GroupcastError, asGroupcastError, isConnectionError } from './errors.js';
import { Emitter } from './events.js';
import { Run, backoff, defaultShouldReconnect, untilAborted } from './lifecycle.js';
import { Link } from './link.js';
import { loggerOf } from './log.js';
import { defaultWebSocket, onWakeUp } from './platform.js';
import { PROTOCOL, RELIABLE_PROTOCOL, clientFrames, readFrame } from './protocol.js';
import { ReliableStreams } from './streams.js';

/**
 * @import {
 *   ConnectionState, GroupcastClientOptions, GroupcastEvents, JoinOptions, OperationOptions, ReconnectContext,
 *   SendOptions, StartOptions, StreamPosition, WebSocketClass
 * } from './index.js'
 * @import { MessageFrame, StreamFrame, StreamMessageFrame, WhoamiFrame } from './protocol.js'
 * @import { Logger } from './log.js'
 */

/**
 * @typedef {typeof DEFAULTS & { url: string, getToken: () => string | Promise<string>, protocol: string }} Settings
 */

const DEFAULTS = {
  initialDelayMs: 1000,
  maxDelayMs: 30000,
  connectTimeoutMs: 30000,
  keepAliveMs: 5 * 60 * 1000,
  pongTimeoutMs: 10 * 1000,
  rolloverAfterMs: (2 * 60 - 5) * 60 * 1000,
  rolloverGraceMs: 2000,
  ackTimeoutMs: 10000,
  holeTimeoutMs: 5000,
  closeTimeoutMs: 2000,
  random: Math.random,
};

/**
 * A client of Groupcast's WebSocket API, modelled on Azure Web PubSub's client: `start()`, `joinGroup()`,
 * `leaveGroup()`, `sendToGroup()`, `stop()`, and the events `connected`, `disconnected`, `reconnecting`, `stopped`,
 * `message` (a server's message), `group-message` (a client's publish), `gap` and `error`.
 */
export class GroupcastClient {
  /** @type {Settings} */
  #options;
  /** @type {WebSocketClass | undefined} */
  #WebSocket;
  /** @type {(context: ReconnectContext) => boolean} */
  #shouldReconnect;
  /** @type {Logger} */
  #log;
  #events = new Emitter();
  /** @type {Set<string>} the groups the app joined, rejoined after every reconnect */
  #groups = new Set();
  /** @type {ReliableStreams | null} */
  #streams = null;
  /** @type {Run | null} */
  #run = null;
  /** @type {Link | null} the connection operations go to */
  #link = null;
  /** @type {ConnectionState} */
  #state = 'stopped';
  /** @type {{ old: Link, counts: Map<string, { old: number, next: number }> } | null} a rollover's two connections */
  #overlap = null;
  /** @type {{ controller: AbortController, next: Link | null } | null} */
  #rollover = null;
  /** @type {Promise<void> | null} the closing of a stopped run's connections */
  #stopping = null;

  /** @param {GroupcastClientOptions} options */
  constructor(options) {
    if (!options || typeof options.url !== 'string' || typeof options.getToken !== 'function') {
      throw new TypeError('GroupcastClient needs { url: string, getToken: () => token }');
    }
    const { WebSocket, logger, shouldReconnect, reliable, ...rest } = options;
    this.#options = {
      ...DEFAULTS,
      protocol: reliable ? RELIABLE_PROTOCOL : PROTOCOL,
      ...definedOnly(rest),
    };
    if (WebSocket !== undefined && typeof WebSocket !== 'function') {
      throw new TypeError('the WebSocket option must be a WebSocket class');
    }
    this.#WebSocket = WebSocket;
    this.#shouldReconnect = shouldReconnect || defaultShouldReconnect;
    this.#log = loggerOf(logger);
    if (this.#options.protocol === RELIABLE_PROTOCOL) {
      this.#streams = new ReliableStreams(this.#options, {
        deliver: (frame) => this.#deliverStreamMessage(frame),
        gap: (gap) => this.#emit('gap', gap),
        hole: (name) => {
          const run = this.#run;
          if (run && this.#link && this.#state === 'connected') {
            this.#streams?.resume(this.#link, { only: [name] }).catch(() => {});
          }
        },
      });
    }
  }

  /**
   * Adds a handler for an event; answers this client.
   * @template {keyof GroupcastEvents} E
   * @param {E} event
   * @param {(value: GroupcastEvents[E], position?: StreamPosition) => void} handler
   * @returns {this}
   */
  on(event, handler) {
    this.#events.on(event, handler);
    return this;
  }

  /**
   * Removes a handler; answers this client.
   * @template {keyof GroupcastEvents} E
   * @param {E} event
   * @param {(value: GroupcastEvents[E], position?: StreamPosition) => void} handler
   * @returns {this}
   */
  off(event, handler) {
    this.#events.off(event, handler);
    return this;
  }

  /** The groups this client joined itself, which it rejoins after every reconnect. */
  get joinedGroups() {
    return [...this.#groups];
  }

  /** Whether a connection is open now. */
  get connected() {
    return this.#state === 'connected';
  }

  /** `stopped`, `connecting` (after start()), `connected`, or `reconnecting` (after a drop). */
  get state() {
    return this.#state;
  }

  /** The id of the connection in use, from the server's `whoami`; undefined while not connected. */
  get connectionId() {
    return this.#state === 'connected' ? this.#link?.connectionId : undefined;
  }

  /** The user the server knows this client as (its token's), from `whoami`; undefined while not connected. */
  get userId() {
    return this.#state === 'connected' ? this.#link?.userId : undefined;
  }

  /**
   * Connects, and keeps reconnecting while started; resolves once connected. Rejects when stopped first (`stopped`),
   * aborted (`aborted`), or refused for good (`connect_refused` with `status` 401 or 403, `closed` with `closeCode`).
   * @param {StartOptions} [options]
   * @returns {Promise<void>}
   */
  start({ signal } = {}) {
    if (this.#run) {
      return this.#run.started;
    }
    if (signal?.aborted) {
      return Promise.reject(new GroupcastError('aborted', 'start aborted before it began'));
    }
    const run = new Run();
    this.#run = run;
    this.#state = 'connecting';
    if (signal) {
      const aborted = () => {
        if (this.#run === run && !run.everConnected) {
          run.rejectStarted(new GroupcastError('aborted', 'start aborted before the client connected'));
          this.stop().catch(() => {});
        }
      };
      signal.addEventListener('abort', aborted);
      run.cleanups.add(() => signal.removeEventListener('abort', aborted));
      run.started.then(
        () => signal.removeEventListener('abort', aborted),
        () => {},
      );
    }
    this.#listenForWakeUps(run);
    const previous = this.#stopping;
    // A start right after a stop (React's StrictMode mounts, unmounts and mounts again) lets the stopped run's
    // connections close first, so that the user is never over MaxConnectionsPerUser by its own leftovers.
    (previous || Promise.resolve())
      .then(() => this.#connect(run, false))
      .catch((e) => this.#log.error('the connect loop failed', { error: String(e) }));
    return run.started;
  }

  /**
   * Closes every connection and stops reconnecting; resolves once they are closed. Afterwards the client emits
   * nothing (but `stopped`, once) until started again.
   * @returns {Promise<void>}
   */
  async stop() {
    const run = this.#run;
    if (!run) {
      await this.#stopping;
      return;
    }
    this.#log.info('stopping');
    const closing = this.#end(run, new GroupcastError('stopped', 'stopped before connecting'));
    await closing;
    if (!this.#run) {
      this.#events.emit('stopped', {});
    }
  }

  /**
   * Joins a group, and rejoins it after every reconnect (without the rewind); rejects with a GroupcastError on an
   * error frame. With `rewind` (or `rewindSeconds`) the server first sends the last messages it kept of the group.
   * @param {string} group
   * @param {JoinOptions} [options]
   * @returns {Promise<void>}
   */
  async joinGroup(group, { signal, rewind, rewindSeconds } = {}) {
    const link = this.#current();
    const known = this.#groups.has(group);
    this.#groups.add(group); // a rollover under way rejoins it on the next connection too
    const streams = this.#streams;
    // frames of the group that come before the join's resume (a rewind's, live ones racing the ack) wait for it
    const fresh = streams ? streams.expect(group) : false;
    try {
      await link.request(clientFrames.join(group, { rewind, rewindSeconds }), { signal });
      link.joined.add(group);
    } catch (e) {
      if (!known) {
        this.#groups.delete(group);
      }
      streams?.expected(group, false);
      throw e;
    }
    if (streams && fresh) {
      // learn where the group's stream is, so that its next message is known to be the next one
      await streams
        .follow(link, group)
        .catch((e) => this.#emit('error', asGroupcastError(e, 'resume_failed')))
        .finally(() => streams.expected(group, true));
    } else {
      streams?.expected(group, true);
    }
  }

  /**
   * Leaves a group; it is no longer rejoined.
   * @param {string} group
   * @param {OperationOptions} [options]
   * @returns {Promise<void>}
   */
  async leaveGroup(group, { signal } = {}) {
    const link = this.#current();
    this.#groups.delete(group);
    await link.request(clientFrames.leave(group), { signal });
    link.joined.delete(group);
    // frames that came before the ack were the group's and were handed over; the stream is forgotten only now
    this.#streams?.exclude(group);
  }

  /**
   * Publishes `data` to a group (needs the sendToGroup permission); resolves on the ack.
   * @param {string} group
   * @param {unknown} data
   * @param {SendOptions} [options]
   * @returns {Promise<void>}
   */
  async sendToGroup(group, data, { noEcho, signal } = {}) {
    await this.#current().request(clientFrames.send(group, data, noEcho), { signal });
  }

  // ------------------------------------------------------------------ events

  /**
   * Emits while started.
   * @template {keyof GroupcastEvents} E
   * @param {E} event
   * @param {GroupcastEvents[E]} value
   * @param {StreamPosition} [position]
   */
  #emit(event, value, position) {
    if (this.#run) {
      this.#events.emit(event, value, position);
    }
  }

  // ------------------------------------------------------------------ lifecycle

  #current() {
    if (!this.#link || this.#state !== 'connected') {
      throw new GroupcastError('not_connected', 'the client is not connected; await start() first');
    }
    return this.#link;
  }

  /**
   * Ends a run: no more reconnects, timers or events of it; closes its connections.
   * @param {Run} run
   * @param {GroupcastError} error
   */
  #end(run, error) {
    if (this.#run === run) {
      this.#run = null;
      this.#state = 'stopped';
      this.#link = null;
      this.#overlap = null;
      this.#rollover = null;
    }
    run.end(error);
    this.#streams?.pause();
    const closing = Promise.all([...run.links].map((link) => this.#close(run, link, 'stopped'))).then(() => {});
    const stopping = closing.then(() => {
      if (this.#stopping === stopping) {
        this.#stopping = null;
      }
    });
    this.#stopping = stopping;
    return stopping;
  }

  /**
   * Ends a run the client may not go on with (a refusal, a close for cause, the app's shouldReconnect): `stopped`
   * with the error that ended it.
   * @param {Run} run
   * @param {GroupcastError} error
   */
  #halt(run, error) {
    this.#log.warn('not reconnecting', { code: error.code, status: error.status, closeCode: error.closeCode });
    this.#end(run, error).then(() => {
      if (!this.#run) {
        this.#events.emit('stopped', { error });
      }
    });
  }

  /**
   * Whether to try again, by the app's shouldReconnect or the default.
   * @param {ReconnectContext} context
   */
  #mayReconnect(context) {
    try {
      return this.#shouldReconnect(context) !== false;
    } catch (e) {
      this.#log.error('shouldReconnect threw; not reconnecting', { error: String(e) });
      return false;
    }
  }

  /**
   * Connects, retrying with backoff until it works, the run ends, or it may not go on.
   * @param {Run} run
   * @param {boolean} reconnecting
   */
  async #connect(run, reconnecting) {
    for (let attempt = 0; ; attempt++) {
      if (run.signal.aborted) {
        return;
      }
      if (attempt > 0 || reconnecting) {
        const delayMs = attempt === 0 && !reconnecting ? 0 : backoff(this.#options, attempt);
        this.#emit('reconnecting', { attempt: attempt + 1, delayMs });
        if (!(await run.sleep(delayMs))) {
          return;
        }
      }
      /** @type {Link | null} */
      let link = null;
      try {
        link = await this.#open(run);
        await this.#setUp(run, link);
      } catch (e) {
        if (link) {
          // a connection whose set-up failed leaves no trace: not in its groups, no frames, not counted for its user
          this.#close(run, link, 'set-up failed');
        }
        if (run.signal.aborted) {
          return;
        }
        const error = asGroupcastError(e, 'connect_failed');
        this.#log.info('connect attempt failed', { attempt: attempt + 1, code: error.code, status: error.status });
        this.#emit('error', error);
        const context = { attempt: attempt + 1, status: error.status, closeCode: error.closeCode, error };
        if (!this.#mayReconnect(context)) {
          this.#halt(run, error);
          return;
        }
        continue;
      }
      if (run.signal.aborted) {
        this.#close(run, link, 'stopped');
        return;
      }
      this.#adopt(run, link);
      run.everConnected = true;
      this.#log.info('connected', { connectionId: link.connectionId, reconnected: reconnecting });
      this.#emit('connected', { reconnected: reconnecting, connectionId: link.connectionId, userId: link.userId });
      run.resolveStarted();
      return;
    }
  }

  /**
   * Opens a connection with a fresh token; resolves once open.
   * @param {Run} run
   * @returns {Promise<Link>}
   */
  async #open(run) {
    let token;
    try {
      token = await untilAborted(Promise.resolve(this.#options.getToken()), run.signal);
    } catch (e) {
      if (run.signal.aborted) {
        throw e;
      }
      throw new GroupcastError('token_failed', `getToken failed: ${e instanceof Error ? e.message : e}`);
    }
    const WebSocket = this.#WebSocket || (await defaultWebSocket());
    if (run.signal.aborted) {
      throw run.signal.reason;
    }
    const separator = this.#options.url.includes('?') ? '&' : '?';
    const url = `${this.#options.url}${separator}token=${encodeURIComponent(String(token))}`;
    this.#log.debug('connecting', { url: this.#options.url });
    const link = new Link(new WebSocket(url, [this.#options.protocol]), {
      ackTimeoutMs: this.#options.ackTimeoutMs,
      logger: this.#log,
    });
    run.links.add(link);
    try {
      await link.open({
        timeoutMs: this.#options.connectTimeoutMs,
        signal: run.signal,
        protocols: { json: PROTOCOL, reliable: RELIABLE_PROTOCOL },
        hooks: {
          frame: (l, text) => this.#receive(run, l, text),
          close: (l, event) => this.#closed(run, l, event),
        },
      });
    } catch (e) {
      this.#close(run, link, 'not opened');
      throw e;
    }
    return link;
  }

  /**
   * Makes a new connection ready: asks who it is (and learns whether the server echoes ackIds), rejoins every group,
   * resumes every stream.
   * @param {Run} run
   * @param {Link} link
   */
  async #setUp(run, link) {
    // A server slow to set a connection up is better waited for than left: a retry would only add to its load.
    const setUp = { timeoutMs: Math.max(this.#options.ackTimeoutMs, this.#options.connectTimeoutMs) };
    try {
      // No signal on set-up requests: a stopped run closes its connections, which fails whatever waits on them.
      const who = /** @type {WhoamiFrame} */ (await link.request(clientFrames.whoami(), setUp));
      link.connectionId = who.connectionId;
      link.userId = who.userId;
      this.#streams?.adopt(who.groups); // its user stream, and the groups the server links it to at connect
      this.#streams?.connected(who.connectionId);
    } catch (e) {
      if (!(e instanceof GroupcastError) || e.code !== 'unknown_action') {
        throw e;
      }
      // a server older than whoami and ackIds: operations go one at a time
      this.#log.info('the server has no whoami: operations wait for each other');
    }
    if (link.ackIds === null) {
      link.ackIds = false;
    }
    await this.#rejoin(run, link, setUp.timeoutMs);
    await this.#streams?.resume(link, setUp);
  }

  /**
   * Joins on `link` every group the client is in, all at once, until it has them all (joins made meanwhile
   * included); a group the server refuses is an `error` event naming it.
   * @param {Run} run
   * @param {Link} link
   * @param {number} [timeoutMs]
   */
  async #rejoin(run, link, timeoutMs) {
    for (;;) {
      const missing = [...this.#groups].filter((group) => !link.joined.has(group) && !link.failed.has(group));
      if (missing.length === 0) {
        return;
      }
      await Promise.all(
        missing.map(async (group) => {
          try {
            await link.request(clientFrames.join(group), { timeoutMs });
            link.joined.add(group);
          } catch (e) {
            if (isConnectionError(e)) {
              throw e;
            }
            const error = asGroupcastError(e, 'rejoin_failed');
            link.failed.add(group);
            this.#emit(
              'error',
              new GroupcastError(error.code, `rejoining ${group} failed: ${error.message}`, { group }),
            );
          }
        }),
      );
    }
  }

  /**
   * Makes `link` the client's connection and schedules its keep-alive and its rollover.
   * @param {Run} run
   * @param {Link} link
   */
  #adopt(run, link) {
    this.#link = link;
    this.#state = 'connected';
    const { keepAliveMs, rolloverAfterMs } = this.#options;
    link.keepAlive = setInterval(() => this.#ping(run, link), keepAliveMs);
    if (rolloverAfterMs > 0) {
      link.rollover = setTimeout(
        () => this.#rollOver(run, link),
        Math.max(0, link.openedAt + rolloverAfterMs - Date.now()),
      );
    }
  }

  /**
   * Pings the connection; without a pong within pongTimeoutMs it counts as lost (a dead link closes nothing).
   * @param {Run} run
   * @param {Link} link
   */
  #ping(run, link) {
    link.ping(this.#options.pongTimeoutMs, () => {
      this.#log.warn('no pong: the connection is dead', { connectionId: link.connectionId });
      this.#lost(run, link, { code: 1006, reason: `no pong within ${this.#options.pongTimeoutMs} ms` });
    });
  }

  /**
   * In a browser, a ping at once when the network comes back or the page is shown again (a laptop that slept, a phone
   * that switched networks): a dead connection is noticed within pongTimeoutMs, and a reconnect waits no longer.
   * @param {Run} run
   */
  #listenForWakeUps(run) {
    const wake = () => {
      if (this.#run !== run) {
        return;
      }
      if (this.#link && this.#state === 'connected') {
        this.#ping(run, this.#link);
      } else if (run.wake) {
        run.wake();
      }
    };
    run.cleanups.add(onWakeUp(wake));
  }

  /**
   * Opens the next connection before the old one reaches API Gateway's two-hour cut, sets it up, then closes the old
   * one after a grace period; meanwhile a message that arrives on both is delivered once.
   * @param {Run} run
   * @param {Link} old
   */
  async #rollOver(run, old) {
    if (this.#run !== run || this.#link !== old || this.#rollover) {
      return;
    }
    const rollover = { controller: new AbortController(), next: /** @type {Link | null} */ (null) };
    this.#rollover = rollover;
    // from the moment the new connection opens it receives the user's messages too: match copies from the start
    this.#overlap = { old, counts: new Map() };
    const calledOff = () => {
      if (run.signal.aborted || rollover.controller.signal.aborted) {
        throw new GroupcastError('stopped', 'the rollover was called off');
      }
    };
    try {
      rollover.next = await this.#open(run);
      calledOff();
      await this.#setUp(run, rollover.next);
      calledOff();
    } catch (e) {
      if (rollover.next) {
        this.#close(run, rollover.next, 'rollover failed');
      }
      if (this.#rollover !== rollover) {
        return; // the old connection was lost meanwhile, or the client stopped: that path took over
      }
      this.#rollover = null;
      this.#overlap = null;
      const error = asGroupcastError(e, 'rollover_failed');
      this.#emit('error', new GroupcastError('rollover_failed', `rollover failed: ${error.message}`));
      old.rollover = setTimeout(() => this.#rollOver(run, old), backoff(this.#options, 1));
      return;
    }
    const next = rollover.next;
    this.#rollover = null;
    old.dispose();
    this.#adopt(run, next);
    this.#log.info('rolled over', { from: old.connectionId, to: next.connectionId });
    this.#rejoin(run, next).catch(() => {}); // groups joined on the old connection while the new one rejoined
    const stopGrace = () => clearTimeout(grace);
    const grace = setTimeout(async () => {
      run.cleanups.delete(stopGrace);
      // copies keep being matched until the old connection has closed: nothing arrives on it after that
      await this.#close(run, old, 'rollover');
      if (this.#overlap && this.#overlap.old === old) {
        this.#overlap = null;
      }
    }, this.#options.rolloverGraceMs);
    run.cleanups.add(stopGrace);
  }

  /**
   * Lets go of a connection and closes it.
   * @param {Run} run
   * @param {Link} link
   * @param {string} reason
   */
  #close(run, link, reason) {
    return link.close(this.#options.closeTimeoutMs, reason).then(() => {
      run.links.delete(link);
    });
  }

  /**
   * A connection closed by itself.
   * @param {Run} run
   * @param {Link} link
   * @param {{ code: number, reason: string }} event
   */
  #closed(run, link, event) {
    run.links.delete(link);
    if (link.live && link.openedAt > 0) {
      this.#lost(run, link, event);
    }
  }

  /**
   * A connection is gone (closed, or dead without a pong). The client's current one means a reconnect, unless the
   * server said not to come back or the app's shouldReconnect says no.
   * @param {Run} run
   * @param {Link} link
   * @param {{ code: number, reason: string }} event
   */
  #lost(run, link, event) {
    const current = this.#run === run && link === this.#link;
    this.#close(run, link, event.reason || 'lost');
    if (!current) {
      if (this.#rollover?.next === link) {
        this.#rollover.controller.abort();
      }
      return; // a connection being set up fails through its requests; an old one of a rollover is done
    }
    this.#link = null;
    this.#overlap = null;
    if (this.#rollover) {
      this.#rollover.controller.abort();
      const next = this.#rollover.next;
      this.#rollover = null;
      if (next) {
        this.#close(run, next, 'rollover called off');
      }
    }
    this.#state = 'reconnecting';
    this.#log.info('disconnected', { connectionId: link.connectionId, code: event.code, reason: event.reason });
    this.#emit('disconnected', { code: event.code, reason: event.reason });
    const error = new GroupcastError('closed', `the connection closed (${event.code} ${event.reason})`.trim(), {
      closeCode: event.code,
      closeReason: event.reason || undefined,
    });
    if (!this.#mayReconnect({ attempt: 0, closeCode: event.code, closeReason: event.reason, error })) {
      this.#halt(run, error);
      return;
    }
    this.#connect(run, true).catch((e) => this.#log.error('the connect loop failed', { error: String(e) }));
  }

  // ------------------------------------------------------------------ frames

  /**
   * A frame arrived on `link`. Frames of a connection the client let go of are dropped.
   * @param {Run} run
   * @param {Link} link
   * @param {string} text
   */
  #receive(run, link, text) {
    if (!link.live || this.#run !== run) {
      this.#log.debug('dropped a frame of a connection no longer in use', { connectionId: link.connectionId });
      return;
    }
    const frame = readFrame(text, link);
    switch (frame.type) {
      case 'invalid':
        this.#emit('error', new GroupcastError('bad_frame', 'a frame that is not JSON arrived'));
        return;
      case 'pong':
        link.pong();
        return;
      case 'ack':
      case 'error':
      case 'whoami':
      case 'resumed':
        if (!link.answer(frame)) {
          this.#deliverOnce(link, text, () => this.#emit('message', JSON.parse(text)));
        }
        return;
      case 'gap':
      case 'skip':
        this.#streams?.receive(frame, link);
        return;
      case 'replay':
        for (const each of frame.frames) {
          this.#streams?.receive(each, link);
        }
        return;
      case 'plain':
        this.#deliverOnce(link, text, () => this.#emit('message', frame.value));
        return;
      case 'message':
        if ('seq' in frame && this.#streams) {
          this.#streams.receive(/** @type {StreamFrame} */ (frame), link);
          return;
        }
        this.#deliverOnce(link, text, () => this.#deliverMessage(frame));
    }
  }

  /** @param {MessageFrame} frame @param {StreamPosition} [position] */
  #deliverMessage(frame, position) {
    if (frame.from === 'group') {
      this.#emit('group-message', { group: frame.group, fromUserId: frame.fromUserId, data: frame.data }, position);
    } else {
      this.#emit('message', frame.data, position);
    }
  }

  /** @param {StreamMessageFrame} frame */
  #deliverStreamMessage(frame) {
    this.#deliverMessage(frame, { stream: frame.stream, seq: frame.seq, id: /** @type {string} */ (frame.id) });
  }

  /**
   * While an old and a new connection overlap (a rollover), both may receive the same message: each copy that the
   * other connection already delivered is dropped, so every message is delivered once (identical messages included,
   * since copies are counted).
   * @param {Link} link
   * @param {string} text
   * @param {() => void} deliver
   */
  #deliverOnce(link, text, deliver) {
    const overlap = this.#overlap;
    if (overlap) {
      const mine = link === overlap.old ? 'old' : 'next';
      const other = mine === 'old' ? 'next' : 'old';
      const counts = overlap.counts.get(text) || { old: 0, next: 0 };
      overlap.counts.set(text, counts);
      if (counts[other] > 0) {
        counts[other] -= 1;
        return;
      }
      counts[mine] += 1;
    }
    deliver();
  }
}

/**
 * @template {object} T
 * @param {T} object
 * @returns {T}
 */
function definedOnly(object) {
  return /** @type {T} */ (Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)));
}
