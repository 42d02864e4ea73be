// @groupcast/client: a Groupcast WebSocket client that reconnects, rejoins its groups, keeps its connection alive
// and rolls it over before API Gateway's two-hour cut. No runtime dependencies: it needs only a WebSocket class
// (the browser's, or one passed in, e.g. from the `ws` package on Node.js).

/** The subprotocol whose frames are all enveloped, so no message can pass for a protocol frame. */
export const PROTOCOL = 'groupcast.json.v1';

/** The subprotocol whose messages are numbered per stream, so a client that comes back resumes what it missed. */
export const RELIABLE_PROTOCOL = 'groupcast.reliable.v1';

const DEFAULTS = {
  protocol: PROTOCOL,
  initialDelayMs: 1000,
  maxDelayMs: 30000,
  keepAliveMs: 5 * 60 * 1000,
  pongTimeoutMs: 30 * 1000,
  rolloverAfterMs: (2 * 60 - 5) * 60 * 1000,
  rolloverGraceMs: 2000,
  ackTimeoutMs: 10000,
  holeTimeoutMs: 1000,
  random: Math.random,
};

const EVENTS = ['connected', 'disconnected', 'reconnecting', 'stopped', 'message', 'group-message', 'gap', 'error'];
const RECENT_IDS = 10000;

/** An error from Groupcast: `code` is the error frame's code (`forbidden`, `rate_limited`, ...) or the client's own. */
export class GroupcastError extends Error {
  constructor(code, message, details = {}) {
    super(message);
    this.name = 'GroupcastError';
    this.code = code;
    Object.assign(this, details);
  }
}

/**
 * One WebSocket connection and what travels on it: operations wait for their ack one at a time (an error frame does
 * not say which frame it answers), messages go to the client.
 */
class Link {
  constructor(client, socket) {
    this.client = client;
    this.socket = socket;
    this.queue = Promise.resolve();
    this.pending = null;
    this.joined = new Set();
    this.lastPong = Date.now();
    this.openedAt = 0;
  }

  /** Sends a frame and waits for its ack (or error) frame. */
  request(frame) {
    const run = () => new Promise((resolve, reject) => {
      if (this.socket.readyState !== 1) {
        reject(new GroupcastError('not_connected', 'the connection is not open'));
        return;
      }
      const timer = setTimeout(() => {
        this.pending = null;
        reject(new GroupcastError('timeout', `no answer to ${frame.action} within ${this.client.options.ackTimeoutMs} ms`));
      }, this.client.options.ackTimeoutMs);
      this.pending = { frame, resolve, reject, timer };
      try {
        this.socket.send(JSON.stringify(frame));
      } catch (e) {
        clearTimeout(timer);
        this.pending = null;
        reject(new GroupcastError('not_connected', `cannot send: ${e.message}`));
      }
    });
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => {});
    return result;
  }

  /** Settles the operation waiting for this ack or error frame. */
  settle(frame) {
    const pending = this.pending;
    if (!pending) {
      return;
    }
    this.pending = null;
    clearTimeout(pending.timer);
    if (frame.type === 'ack' || frame.type === 'resumed') {
      if (frame.action === 'join') {
        this.joined.add(frame.group);
      } else if (frame.action === 'leave') {
        this.joined.delete(frame.group);
      }
      pending.resolve(frame);
    } else {
      pending.reject(new GroupcastError(frame.error, frame.message, { group: pending.frame.group }));
    }
  }

  /** Fails whatever waits: the connection is gone. */
  abandon() {
    if (this.pending) {
      clearTimeout(this.pending.timer);
      this.pending.reject(new GroupcastError('not_connected', 'the connection closed before the answer came'));
      this.pending = null;
    }
  }
}

/**
 * A client of Groupcast's WebSocket API, modelled on Azure Web PubSub's client: `start()`, `joinGroup()`,
 * `leaveGroup()`, `sendToGroup()`, `stop()`, and the events `connected`, `disconnected`, `reconnecting`, `stopped`,
 * `message` (a server's message), `group-message` (a client's publish) and `error`.
 */
export class GroupcastClient {
  /**
   * @param {object} options
   * @param {string} options.url the WebSocket URL without the token (the stack's WebSocketUrl)
   * @param {() => Promise<string> | string} options.getToken called before every (re)connect
   * @param {any} [options.WebSocket] a WebSocket class; globalThis.WebSocket by default
   */
  constructor(options) {
    if (!options || typeof options.url !== 'string' || typeof options.getToken !== 'function') {
      throw new TypeError('GroupcastClient needs { url: string, getToken: () => token }');
    }
    this.options = { ...DEFAULTS, ...options };
    if (options.reliable && !options.protocol) {
      this.options.protocol = RELIABLE_PROTOCOL;
    }
    this.reliable = this.options.protocol === RELIABLE_PROTOCOL;
    this.streams = new Map();
    this.recentIds = new Set();
    this.WebSocket = options.WebSocket || globalThis.WebSocket;
    if (typeof this.WebSocket !== 'function') {
      throw new TypeError('no WebSocket class: pass { WebSocket } (on Node.js, from the `ws` package)');
    }
    this.handlers = new Map(EVENTS.map((event) => [event, new Set()]));
    this.groups = new Set();
    this.link = null;
    this.state = 'stopped';
    this.timers = new Set();
    this.overlap = null;
  }

  /** Adds a handler for an event; answers this client. */
  on(event, handler) {
    this.eventHandlers(event).add(handler);
    return this;
  }

  /** Removes a handler; answers this client. */
  off(event, handler) {
    this.eventHandlers(event).delete(handler);
    return this;
  }

  /** The groups this client joined itself, which it rejoins after every reconnect. */
  get joinedGroups() {
    return [...this.groups];
  }

  /** Whether a connection is open now. */
  get connected() {
    return this.state === 'connected';
  }

  /** Connects (and keeps reconnecting while started); resolves once connected. */
  start() {
    if (this.state !== 'stopped') {
      return this.started;
    }
    this.state = 'connecting';
    this.started = new Promise((resolve, reject) => {
      this.resolveStarted = resolve;
      this.rejectStarted = reject;
    });
    this.connectLoop(0, false);
    return this.started;
  }

  /** Closes the connection and stops reconnecting; resolves once closed. */
  async stop() {
    if (this.state === 'stopped') {
      return;
    }
    this.state = 'stopped';
    this.clearTimers();
    const links = [this.link, this.overlap && this.overlap.old].filter(Boolean);
    this.link = null;
    this.overlap = null;
    await Promise.all(links.map((link) => closeLink(link, 1000, 'stopped')));
    if (this.rejectStarted) {
      this.rejectStarted(new GroupcastError('stopped', 'stopped before connecting'));
      this.rejectStarted = null;
    }
    this.emit('stopped', {});
  }

  /** Joins a group (and rejoins it after every reconnect); rejects with a GroupcastError on an error frame. */
  async joinGroup(group) {
    const link = this.current();
    const known = this.groups.has(group);
    this.groups.add(group); // a rollover under way rejoins it on the next connection too
    try {
      await link.request({ action: 'join', group });
    } catch (e) {
      if (!known) {
        this.groups.delete(group);
      }
      throw e;
    }
    if (this.reliable && !this.streams.has(group)) {
      // learn where the group's stream is, so that its next message is known to be the next one
      this.streams.set(group, { last: null, head: 0, buffer: new Map(), hole: null });
      await this.resume(link, [group]).catch((e) => this.emit('error', e));
    }
  }

  /** Leaves a group; it is no longer rejoined. */
  async leaveGroup(group) {
    this.groups.delete(group);
    this.forget(group);
    await this.current().request({ action: 'leave', group });
  }

  /** Publishes `data` to a group (needs the sendToGroup permission); resolves on the ack. */
  async sendToGroup(group, data, options = {}) {
    const frame = { action: 'send', group, data: data === undefined ? null : data };
    if (options.noEcho) {
      frame.noEcho = true;
    }
    await this.current().request(frame);
  }

  // ------------------------------------------------------------------ internals

  current() {
    if (!this.link || (this.state !== 'connected' && this.state !== 'rolling')) {
      throw new GroupcastError('not_connected', 'the client is not connected; await start() first');
    }
    return this.link;
  }

  eventHandlers(event) {
    const handlers = this.handlers.get(event);
    if (!handlers) {
      throw new TypeError(`unknown event ${event}; one of ${EVENTS.join(', ')}`);
    }
    return handlers;
  }

  emit(event, value, meta) {
    for (const handler of this.handlers.get(event)) {
      try {
        handler(value, meta);
      } catch (e) {
        if (event !== 'error') {
          this.emit('error', new GroupcastError('handler_failed', `a ${event} handler threw: ${e.message}`));
        }
      }
    }
  }

  later(ms, action) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  clearTimers() {
    for (const timer of this.timers) {
      clearTimeout(timer);
      clearInterval(timer);
    }
    this.timers.clear();
  }

  /** Full jitter: a delay drawn from 0 to min(cap, initial * 2^attempt). */
  backoff(attempt) {
    const { initialDelayMs, maxDelayMs, random } = this.options;
    return Math.floor(random() * Math.min(maxDelayMs, initialDelayMs * 2 ** attempt));
  }

  /** Connects, retrying with backoff until it works or the client stops. */
  connectLoop(attempt, reconnecting) {
    if (this.state === 'stopped') {
      return;
    }
    const delay = attempt === 0 && !reconnecting ? 0 : this.backoff(attempt);
    if (reconnecting || attempt > 0) {
      this.emit('reconnecting', { attempt: attempt + 1, delayMs: delay });
    }
    this.later(delay, async () => {
      if (this.state === 'stopped') {
        return;
      }
      try {
        const link = await this.open();
        await this.rejoin(link);
        await this.resume(link);
        this.adopt(link);
        this.emit('connected', { reconnected: reconnecting });
        if (this.resolveStarted) {
          this.resolveStarted();
          this.resolveStarted = null;
          this.rejectStarted = null;
        }
      } catch (e) {
        if (this.state === 'stopped') {
          return;
        }
        this.emit('error', e instanceof GroupcastError ? e : new GroupcastError('connect_failed', e.message));
        this.connectLoop(attempt + 1, reconnecting);
      }
    });
  }

  /** Opens a connection with a fresh token; resolves once open. */
  async open() {
    let token;
    try {
      token = await this.options.getToken();
    } catch (e) {
      throw new GroupcastError('token_failed', `getToken failed: ${e && e.message ? e.message : e}`);
    }
    const separator = this.options.url.includes('?') ? '&' : '?';
    const url = `${this.options.url}${separator}token=${encodeURIComponent(token)}`;
    const socket = new this.WebSocket(url, this.options.protocol ? [this.options.protocol] : undefined);
    const link = new Link(this, socket);
    await new Promise((resolve, reject) => {
      socket.onopen = () => resolve();
      socket.onerror = () => {};
      socket.onclose = (event) =>
        reject(new GroupcastError('connect_failed', `the connection was refused or closed (${event.code})`, {
          closeCode: event.code,
        }));
    });
    link.openedAt = Date.now();
    link.reliable = socket.protocol === RELIABLE_PROTOCOL;
    link.enveloped = socket.protocol === PROTOCOL || link.reliable;
    socket.onmessage = (event) => this.receive(link, event.data);
    socket.onclose = (event) => this.closed(link, event);
    return link;
  }

  /** Joins on `link` every group the client is in, until it has them all (joins made meanwhile included). */
  async rejoin(link) {
    for (;;) {
      const missing = [...this.groups].filter((group) => !link.joined.has(group) && !link.failed?.has(group));
      if (missing.length === 0) {
        return;
      }
      for (const group of missing) {
        try {
          await link.request({ action: 'join', group });
        } catch (e) {
          if (e.code === 'not_connected' || e.code === 'timeout') {
            throw e;
          }
          link.failed = link.failed || new Set();
          link.failed.add(group);
          this.emit('error', new GroupcastError(e.code, `rejoining ${group} failed: ${e.message}`, { group }));
        }
      }
    }
  }

  /** Makes `link` the client's connection and schedules its keep-alive and its rollover. */
  adopt(link) {
    this.link = link;
    this.state = 'connected';
    const { keepAliveMs, pongTimeoutMs, rolloverAfterMs } = this.options;
    const keepAlive = setInterval(() => {
      if (link !== this.link) {
        clearInterval(keepAlive);
        return;
      }
      if (Date.now() - link.lastPong > keepAliveMs + pongTimeoutMs) {
        // no pong for a whole round: the connection is dead without having closed
        closeLink(link, 4000, 'no pong');
        return;
      }
      try {
        link.socket.send('{"action":"ping"}');
      } catch (e) {
        // the close event follows
      }
    }, keepAliveMs);
    this.timers.add(keepAlive);
    if (rolloverAfterMs > 0) {
      this.later(Math.max(0, link.openedAt + rolloverAfterMs - Date.now()), () => this.rollover(link));
    }
  }

  /**
   * Opens the next connection before the old one reaches API Gateway's two-hour cut, rejoins on it, then closes the
   * old one after a grace period; meanwhile a message that arrives on both is delivered once.
   */
  async rollover(old) {
    if (this.state !== 'connected' || this.link !== old) {
      return;
    }
    this.state = 'rolling';
    // from the moment the new connection opens it receives the user's messages too: match copies from the start
    this.overlap = { old, counts: new Map() };
    let next;
    try {
      next = await this.open();
      await this.rejoin(next);
      await this.resume(next);
    } catch (e) {
      if (next) {
        closeLink(next, 1000, 'rollover failed');
      }
      this.overlap = null;
      if (this.state === 'rolling' && old.socket.readyState === 3) {
        // the old connection closed meanwhile, and there is no new one: reconnect as after any drop
        this.link = null;
        this.state = 'reconnecting';
        this.emit('disconnected', { code: 1006, reason: 'closed during a rollover' });
        this.connectLoop(0, true);
        return;
      }
      if (this.state === 'rolling') {
        this.state = 'connected';
        this.emit('error', new GroupcastError('rollover_failed', `rollover failed: ${e.message}`));
        this.later(this.backoff(1), () => this.rollover(old));
      }
      return;
    }
    if (this.state !== 'rolling') {
      closeLink(next, 1000, 'stopped');
      return;
    }
    this.adopt(next);
    this.rejoin(next).catch(() => {}); // groups joined on the old connection while the new one rejoined
    this.later(this.options.rolloverGraceMs, async () => {
      // copies keep being matched until the old connection has closed: nothing arrives on it after that
      await closeLink(old, 1000, 'rollover');
      if (this.overlap && this.overlap.old === old) {
        this.overlap = null;
      }
    });
  }

  /** A frame arrived on `link`. */
  receive(link, data) {
    if (typeof data !== 'string') {
      return;
    }
    let frame;
    try {
      frame = JSON.parse(data);
    } catch (e) {
      this.emit('error', new GroupcastError('bad_frame', 'a frame that is not JSON arrived'));
      return;
    }
    if (frame && typeof frame === 'object' && !Array.isArray(frame)) {
      if (frame.type === 'pong') {
        link.lastPong = Date.now();
        return;
      }
      if (link.reliable && this.receiveReliable(link, frame)) {
        return;
      }
      if (['ack', 'error', 'resumed'].includes(frame.type) && (link.enveloped || link.pending)) {
        link.settle(frame);
        return;
      }
      if (frame.type === 'message' && frame.from === 'group') {
        if (this.firstCopy(link, data)) {
          this.emit('group-message', { group: frame.group, fromUserId: frame.fromUserId, data: frame.data });
        }
        return;
      }
      if (link.enveloped && frame.type === 'message' && frame.from === 'server') {
        if (this.firstCopy(link, data)) {
          this.emit('message', frame.data);
        }
        return;
      }
    }
    if (!link.enveloped && this.firstCopy(link, data)) {
      this.emit('message', frame);
    }
  }

  /**
   * While an old and a new connection overlap (a rollover), both may receive the same message: each copy that the
   * other connection already delivered is dropped, so every message is delivered once (identical messages included,
   * since copies are counted).
   */
  firstCopy(link, data) {
    const overlap = this.overlap;
    if (!overlap) {
      return true;
    }
    const mine = link === overlap.old ? 'old' : 'next';
    const other = mine === 'old' ? 'next' : 'old';
    const counts = overlap.counts.get(data) || { old: 0, next: 0 };
    overlap.counts.set(data, counts);
    if (counts[other] > 0) {
      counts[other] -= 1;
      return false;
    }
    counts[mine] += 1;
    return true;
  }

  // ------------------------------------------------------------------ reliable streams

  /**
   * Asks `link` to resume every stream this client knows (or `only` these), from the last number it delivered, and
   * waits for the `resumed` answer: the server sends what was missed and a gap for what expired, then the heads.
   */
  async resume(link, only) {
    if (!link.reliable) {
      return;
    }
    for (let round = 0; round < 20; round++) {
      const streams = {};
      for (const [name, state] of this.streams) {
        if (!only || only.includes(name)) {
          streams[name] = state.last;
        }
      }
      const resumed = await link.request({ action: 'resume', streams });
      for (const [name, head] of Object.entries(resumed.heads || {})) {
        this.baseline(name, head);
      }
      for (const name of resumed.ignored || []) {
        this.forget(name);
      }
      if (!resumed.more) {
        return;
      }
    }
  }

  /** A stream's head: where a stream without history starts (keeping what already arrived after it). */
  baseline(name, head) {
    const state = this.stream(name);
    state.head = Math.max(state.head, head);
    if (state.last === null) {
      const firstBuffered = Math.min(...state.buffer.keys());
      state.last = Math.min(head, firstBuffered - 1);
    }
    this.drain(name, state);
  }

  stream(name) {
    let state = this.streams.get(name);
    if (!state) {
      state = { last: null, head: 0, buffer: new Map(), hole: null };
      this.streams.set(name, state);
    }
    return state;
  }

  forget(name) {
    const state = this.streams.get(name);
    if (state && state.hole) {
      clearTimeout(state.hole);
    }
    this.streams.delete(name);
  }

  /** A frame of a reliable connection; answers whether it was a stream's (a message with a number, or a gap). */
  receiveReliable(link, frame) {
    if (frame.type === 'gap' && typeof frame.stream === 'string') {
      const state = this.stream(frame.stream);
      if (state.last === null || frame.to > state.last) {
        const from = state.last === null ? frame.from : Math.max(frame.from, state.last + 1);
        state.buffer.set(from, { gap: true, to: frame.to });
        this.drain(frame.stream, state);
      }
      return true;
    }
    if (frame.type !== 'message' || typeof frame.stream !== 'string' || typeof frame.seq !== 'number') {
      return false;
    }
    const state = this.stream(frame.stream);
    if (state.last !== null && frame.seq <= state.last) {
      return true; // delivered already: a replay, or the other connection of a rollover
    }
    state.buffer.set(frame.seq, { frame });
    this.drain(frame.stream, state);
    return true;
  }

  /** Delivers a stream's buffered messages and gaps in order; a hole waits a moment, then asks for a resume. */
  drain(name, state) {
    if (state.last === null) {
      return;
    }
    for (;;) {
      const next = state.last + 1;
      const entry = state.buffer.get(next);
      if (!entry) {
        break;
      }
      state.buffer.delete(next);
      if (entry.gap) {
        state.last = entry.to;
        this.emit('gap', { stream: name, from: next, to: entry.to });
      } else {
        state.last = next;
        this.deliver(entry.frame);
      }
    }
    for (const seq of state.buffer.keys()) {
      if (seq <= state.last) {
        state.buffer.delete(seq);
      }
    }
    if (state.hole) {
      clearTimeout(state.hole);
      state.hole = null;
    }
    // a hole: messages after a missing one, or a head beyond the last delivered (numbers taken, messages on their way)
    const hole = () => state.buffer.size > 0 || state.head > state.last;
    if (hole()) {
      state.hole = setTimeout(() => {
        state.hole = null;
        if (hole() && this.link && this.state !== 'stopped') {
          this.resume(this.link, [name]).catch(() => {});
        }
      }, this.options.holeTimeoutMs);
    }
  }

  /** Hands a message to the app once, even when it came through several streams (the same id). */
  deliver(frame) {
    if (frame.id) {
      if (this.recentIds.has(frame.id)) {
        return;
      }
      this.recentIds.add(frame.id);
      if (this.recentIds.size > RECENT_IDS) {
        this.recentIds.delete(this.recentIds.values().next().value);
      }
    }
    const meta = { stream: frame.stream, seq: frame.seq, id: frame.id };
    if (frame.from === 'group') {
      this.emit('group-message', { group: frame.group, fromUserId: frame.fromUserId, data: frame.data }, meta);
    } else {
      this.emit('message', frame.data, meta);
    }
  }

  /** A connection closed. */
  closed(link, event) {
    link.abandon();
    if (this.overlap && this.overlap.old === link) {
      return;
    }
    if (link !== this.link) {
      return;
    }
    this.link = null;
    if (this.state === 'stopped') {
      return;
    }
    this.state = 'reconnecting';
    this.clearTimers();
    this.overlap = null;
    this.emit('disconnected', { code: event.code, reason: event.reason });
    this.connectLoop(0, true);
  }
}

function closeLink(link, code, reason) {
  return new Promise((resolve) => {
    const socket = link.socket;
    if (socket.readyState === 3) {
      resolve();
      return;
    }
    const previous = socket.onclose;
    socket.onclose = (event) => {
      if (previous) {
        previous(event);
      }
      resolve();
    };
    try {
      socket.close(code, reason);
    } catch (e) {
      resolve();
    }
  });
}
