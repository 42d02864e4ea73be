/** The subprotocol whose frames are all enveloped: `groupcast.json.v1`. */
export declare const PROTOCOL: 'groupcast.json.v1';

/** The subprotocol whose messages are numbered per stream and can be resumed: `groupcast.reliable.v1`. */
export declare const RELIABLE_PROTOCOL: 'groupcast.reliable.v1';

/** An error from Groupcast: `code` is the error frame's code (`forbidden`, `rate_limited`, ...) or the client's own. */
export declare class GroupcastError extends Error {
  constructor(code: string, message: string, details?: Record<string, unknown>);
  readonly name: 'GroupcastError';
  /**
   * The error frame's code, or the client's: `not_connected`, `timeout`, `connect_failed`, `token_failed`,
   * `rollover_failed`, `bad_frame`, `handler_failed`, `stopped`.
   */
  readonly code: string;
  /** The group an operation or a rejoin was about, when there is one. */
  readonly group?: string;
  /** The close code when a connection attempt failed. */
  readonly closeCode?: number;
}

/** The WebSocket class the client uses: the browser's, or e.g. the `ws` package's on Node.js. */
export interface WebSocketLike {
  readonly readyState: number;
  readonly protocol: string;
  onopen: ((event: any) => void) | null;
  onmessage: ((event: any) => void) | null;
  onclose: ((event: any) => void) | null;
  onerror: ((event: any) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** Constructed as `new WebSocket(url, protocols)`; any arguments, so that overloaded classes such as `ws`'s fit. */
export interface WebSocketClass {
  new (...args: any[]): WebSocketLike;
}

export interface GroupcastClientOptions {
  /** The WebSocket URL without the token: the stack's `WebSocketUrl` output, locally `ws://localhost:3001/`. */
  url: string;
  /** Called before every (re)connect; answers a JWT (or a promise of one). */
  getToken: () => string | Promise<string>;
  /** A WebSocket class; `globalThis.WebSocket` by default (Node.js 20 has none built in: pass `ws`'s). */
  WebSocket?: WebSocketClass;
  /**
   * Resume after every reconnect and rollover: every message of the client's streams (its user, its groups) once, in
   * order per stream, or a `gap` event for what expired. Offers `groupcast.reliable.v1`.
   */
  reliable?: boolean;
  /** The subprotocol to offer; `groupcast.json.v1` by default, `groupcast.reliable.v1` with `reliable`. */
  protocol?: string;
  /** With `reliable`, a missing message is asked for again (a resume) after this long; default 1000. */
  holeTimeoutMs?: number;
  /** The first reconnect waits up to this long (full jitter); default 1000. */
  initialDelayMs?: number;
  /** Reconnect delays grow to at most this; default 30000. */
  maxDelayMs?: number;
  /** A ping every so often keeps the connection inside API Gateway's 10-minute idle limit; default 300000. */
  keepAliveMs?: number;
  /** Without a pong this long after a ping round, the connection counts as dead and is replaced; default 30000. */
  pongTimeoutMs?: number;
  /** At this age a new connection replaces the old one, before API Gateway's 2-hour cut; default 6900000 (1 h 55). */
  rolloverAfterMs?: number;
  /** How long the old connection stays open after a rollover, to receive what was already on its way; default 2000. */
  rolloverGraceMs?: number;
  /** An operation without its ack this long fails with code `timeout`; default 10000. */
  ackTimeoutMs?: number;
  /** The random source of the backoff jitter (tests); `Math.random` by default. */
  random?: () => number;
}

/** A client publish to a group this connection is in. */
export interface GroupMessage {
  group: string;
  fromUserId: string;
  data: unknown;
}

/** Where a reliable message was: its stream, its number in it, and its id (the same in every stream it went to). */
export interface StreamPosition {
  stream: string;
  seq: number;
  id: string;
}

export interface GroupcastEvents {
  /** Connected (again, when `reconnected`), and in every group it had joined. */
  connected: { reconnected: boolean };
  /** The connection dropped; the client reconnects by itself. */
  disconnected: { code: number; reason: string };
  /** A (re)connect attempt is about to start after `delayMs`. */
  reconnecting: { attempt: number; delayMs: number };
  /** `stop()` finished. */
  stopped: Record<string, never>;
  /** A server's message (the notify's `message`). */
  message: unknown;
  /** A client's publish to a group. */
  'group-message': GroupMessage;
  /** With `reliable`: messages `from` to `to` of `stream` expired before this client could get them. */
  gap: { stream: string; from: number; to: number };
  /** Something failed that the client works around by itself (a reconnect, a rejoin, a token). */
  error: GroupcastError;
}

export declare class GroupcastClient {
  constructor(options: GroupcastClientOptions);
  /**
   * Adds a handler. With `reliable`, `message` and `group-message` handlers also get where the message was in its
   * stream ({@link StreamPosition}), e.g. to checkpoint.
   */
  on<E extends keyof GroupcastEvents>(
    event: E,
    handler: (value: GroupcastEvents[E], position?: StreamPosition) => void,
  ): this;
  off<E extends keyof GroupcastEvents>(
    event: E,
    handler: (value: GroupcastEvents[E], position?: StreamPosition) => void,
  ): this;
  /** The groups this client joined itself, which it rejoins after every reconnect. */
  readonly joinedGroups: string[];
  /** Whether a connection is open now. */
  readonly connected: boolean;
  /** Connects, and keeps reconnecting while started; resolves once connected. */
  start(): Promise<void>;
  /** Closes the connection and stops reconnecting. */
  stop(): Promise<void>;
  /** Joins a group, rejoined after every reconnect; rejects with a GroupcastError (`forbidden`, ...). */
  joinGroup(group: string): Promise<void>;
  /** Leaves a group; it is no longer rejoined. */
  leaveGroup(group: string): Promise<void>;
  /** Publishes to a group (needs the `sendToGroup` permission); resolves on the ack. */
  sendToGroup(group: string, data: unknown, options?: { noEcho?: boolean }): Promise<void>;
}
