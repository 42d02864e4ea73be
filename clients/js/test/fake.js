// A fake Groupcast server behind a fake WebSocket class, for tests of the client's reliable streams that must control
// exactly which frame arrives when (a skip, a replay overlapping live frames, a new epoch, an async fan-out's order).
// It speaks groupcast.reliable.v1 as docs/client-protocol.md describes it; the real server's behaviour is tested
// against the local gateway in reliable.test.js.
import { GroupcastClient } from '../src/index.js';

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;

/** Answers frames after the current call stack, as a network would. */
const later = (fn) => queueMicrotask(fn);

export class FakeServer {
  /** @param {{ user?: string, groups?: string[] }} [options] the user, and groups linked at connect */
  constructor({ user = 'u', groups = [] } = {}) {
    this.user = user;
    this.linked = groups;
    /** @type {Map<string, { epoch: string, head: number, kept: Map<number, object> }>} */
    this.streams = new Map();
    /** Every socket opened, in order. */
    this.sockets = [];
    /** Every resume frame received: the frame, its socket and the (fake) time. */
    this.resumes = [];
    const server = this;
    this.WebSocket = class FakeWebSocket {
      constructor(url, protocols) {
        this.url = url;
        this.protocol = '';
        this.readyState = CONNECTING;
        this.onopen = this.onmessage = this.onclose = this.onerror = null;
        this.sent = [];
        this.groups = new Set([`user:${server.user}`, ...server.linked]);
        this.id = `c${server.sockets.length}`;
        server.sockets.push(this);
        later(() => {
          this.readyState = OPEN;
          this.protocol = protocols[protocols.length - 1];
          this.onopen?.({});
        });
      }

      send(text) {
        this.sent.push(JSON.parse(text));
        later(() => server.handle(this, JSON.parse(text)));
      }

      close(code = 1000, reason = '') {
        if (this.readyState !== CLOSED) {
          this.readyState = CLOSED;
          later(() => this.onclose?.({ code, reason }));
        }
      }

      /** A frame from the server. */
      receive(frame) {
        if (this.readyState === OPEN) {
          this.onmessage?.({ data: JSON.stringify(frame) });
        }
      }
    };
  }

  stream(name, epoch = 'e1') {
    let s = this.streams.get(name);
    if (!s) {
      s = { epoch, head: 0, kept: new Map() };
      this.streams.set(name, s);
    }
    return s;
  }

  /** Numbers and keeps a message of `name`; answers its frame (not sent). */
  publish(name, data) {
    const s = this.stream(name);
    const seq = ++s.head;
    const frame = {
      type: 'message',
      stream: name,
      seq,
      id: `${name}/${s.epoch}/${seq}`,
      epoch: s.epoch,
      from: 'server',
      data,
    };
    s.kept.set(seq, frame);
    return frame;
  }

  /** The store lost the stream: numbering starts again at 1 in `epoch`. */
  wipe(name, epoch) {
    this.streams.set(name, { epoch, head: 0, kept: new Map() });
  }

  /** The socket in use: the last one opened. */
  get socket() {
    return this.sockets[this.sockets.length - 1];
  }

  handle(socket, frame) {
    const answer = (value) => socket.receive({ ...value, ackId: frame.ackId });
    switch (frame.action) {
      case 'whoami':
        return answer({ type: 'whoami', connectionId: socket.id, userId: this.user, groups: [...socket.groups] });
      case 'join':
        socket.groups.add(frame.group);
        if (frame.rewind) {
          const s = this.stream(frame.group);
          const frames = [...s.kept.values()].filter((f) => f.seq > s.head - frame.rewind);
          socket.receive({ type: 'replay', stream: frame.group, frames });
        }
        return answer({ type: 'ack', action: 'join', group: frame.group });
      case 'leave':
        socket.groups.delete(frame.group);
        return answer({ type: 'ack', action: 'leave', group: frame.group });
      case 'resume':
        this.resumes.push({ frame, socket, at: Date.now() });
        return answer(this.resume(socket, frame));
      default:
        return answer({ type: 'ack', action: frame.action });
    }
  }

  /** Replays what each named stream kept after the number given, in one replay frame per stream. */
  resume(socket, frame) {
    const heads = {};
    const epochs = {};
    const ignored = [];
    for (const [name, after] of Object.entries(frame.streams)) {
      if (!socket.groups.has(name)) {
        ignored.push(name);
        continue;
      }
      const s = this.stream(name);
      heads[name] = s.head;
      epochs[name] = s.epoch;
      if (after === null) {
        continue;
      }
      const frames = [];
      let from = after;
      const theirs = frame.epochs?.[name];
      if (theirs && theirs !== s.epoch) {
        frames.push({ type: 'gap', stream: name, epoch: theirs, from: after + 1 });
        from = 0;
      }
      for (let seq = from + 1; seq <= s.head && s.kept.has(seq); seq++) {
        frames.push(s.kept.get(seq));
      }
      if (frames.length > 0) {
        socket.receive({ type: 'replay', stream: name, frames });
      }
    }
    return { type: 'resumed', heads, epochs, ignored };
  }
}

/** A reliable client of a fake server, recording what the app gets. */
export function fakeClient(server, options = {}) {
  const client = new GroupcastClient({
    url: 'ws://fake/',
    getToken: () => 'token',
    reliable: true,
    WebSocket: server.WebSocket,
    ...options,
  });
  const got = [];
  const gaps = [];
  const errors = [];
  client.on('message', (data, position) => got.push({ data, ...position }));
  client.on('group-message', (message, position) => got.push({ data: message.data, ...position }));
  client.on('gap', (gap) => gaps.push(gap));
  client.on('error', (error) => errors.push(error));
  return { client, got, gaps, errors };
}

/** Lets every answer already on its way arrive (microtasks and immediates; timers only when ticked). */
export async function flush(turns = 10) {
  for (let i = 0; i < turns; i++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A small seeded random source, so that a test's jitter is the same every run. */
export function seeded(seed) {
  // mixed first, so that seeds 1, 2, 3 give unrelated sequences
  let x = Math.imul((seed ^ 0x9e3779b9) >>> 0, 0x85ebca6b) >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
  for (let i = 0; i < 8; i++) {
    next();
  }
  return next;
}
