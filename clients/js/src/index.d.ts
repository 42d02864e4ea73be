/** The subprotocol whose frames are all enveloped: `groupcast.json.v1`. */
export declare const PROTOCOL: 'groupcast.json.v1';

/** The subprotocol whose messages are numbered per stream and can be resumed: `groupcast.reliable.v1`. */
export declare const RELIABLE_PROTOCOL: 'groupcast.reliable.v1';

/** An error from Groupcast: `code` is the error frame's code (`forbidden`, `rate_limited`, ...) or the client's own. */
export declare class GroupcastError extends Error {
  constructor(
    code: string,
    message: string,
    details?: { group?: string; closeCode?: number; closeReason?: string; status?: number; ackId?: number },
  );
  readonly name: 'GroupcastError';
  /**
   * The error frame's code, or the client's: `not_connected`, `timeout`, `aborted`, `stopped`, `connect_failed`,
   * `connect_timeout`, `connect_refused`, `closed`, `token_failed`, `rollover_failed`, `message_too_large`,
   * `bad_frame`, `handler_failed`, `no_websocket`.
   */
  readonly code: string;
  /** The group an operation or a rejoin was about, when there is one. */
  readonly group?: string;
  /** The close code, when a connection closed or a connection attempt failed. */
  readonly closeCode?: number;
  /** The close reason the server gave, when it gave one. */
  readonly closeReason?: string;
  /** The HTTP status of a refused handshake (`connect_refused`), when the WebSocket class tells it (`ws` does). */
  readonly status?: number;
  /** The ackId of the frame an error frame answered. */
  readonly ackId?: number;
}

/** The WebSocket class the client uses: the browser's, Node.js 22's, or e.g. the `ws` package's on Node.js 20. */
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

/** Where the client logs, console-like; every method optional. `console` itself fits. */
export interface GroupcastLogger {
  debug?(message: string, fields?: Record<string, unknown>): void;
  info?(message: string, fields?: Record<string, unknown>): void;
  warn?(message: string, fields?: Record<string, unknown>): void;
  error?(message: string, fields?: Record<string, unknown>): void;
}

/** What `shouldReconnect` is told before the client tries again. */
export interface ReconnectContext {
  /** 0 right after a connection closed; then the number of failed attempts since. */
  attempt: number;
  /** The close code, when a connection closed (`4403` and `1008`: the server said not to come back). */
  closeCode?: number;
  /** The close reason, when the server gave one. */
  closeReason?: string;
  /** The HTTP status of a refused handshake, when the WebSocket class tells it (`ws` does, browsers do not). */
  status?: number;
  /** What failed. */
  error?: GroupcastError;
}

export interface GroupcastClientOptions {
  /** The WebSocket URL without the token: the stack's `WebSocketUrl` output, locally `ws://localhost:3001/`. */
  url: string;
  /** Called before every (re)connect; answers a JWT (or a promise of one). */
  getToken: () => string | Promise<string>;
  /**
   * A WebSocket class; by default the platform's (browsers, Node.js 22 and later), else the `ws` package's, loaded
   * when the client connects (Node.js 20: `npm install ws`).
   */
  WebSocket?: WebSocketClass;
  /**
   * Resume after every reconnect and rollover: every message of the client's streams (its user, its groups) once, in
   * order per stream, or a `gap` event for what expired. Offers `groupcast.reliable.v1`.
   */
  reliable?: boolean;
  /** The subprotocol to offer; `groupcast.json.v1` by default, `groupcast.reliable.v1` with `reliable`. */
  protocol?: string;
  /**
   * With `reliable`, a missing number is asked for (a resume of its stream) after this long times 1 to 2 (jitter),
   * then after twice that, and so on up to 60 s (times 1 to 2); default 5000. A message handed to the fan-out workers
   * can reach the members of a group over minutes, after later ones: the wait and its jitter keep them from all
   * resuming at once.
   */
  holeTimeoutMs?: number;
  /** The first reconnect waits up to this long (full jitter); default 1000. */
  initialDelayMs?: number;
  /** Reconnect delays grow to at most this; default 30000. */
  maxDelayMs?: number;
  /**
   * A connection attempt whose handshake has not finished this long after it began fails; default 30000 (API
   * Gateway answers a handshake within 29 s: its integrations time out then).
   */
  connectTimeoutMs?: number;
  /** A ping every so often keeps the connection inside API Gateway's 10-minute idle limit; default 300000. */
  keepAliveMs?: number;
  /** Without a pong this long after a ping, the connection counts as dead and is replaced; default 10000. */
  pongTimeoutMs?: number;
  /** At this age a new connection replaces the old one, before API Gateway's 2-hour cut; default 6900000 (1 h 55). */
  rolloverAfterMs?: number;
  /** How long the old connection stays open after a rollover, to receive what was already on its way; default 2000. */
  rolloverGraceMs?: number;
  /** An operation without its ack this long fails with code `timeout`; default 10000. */
  ackTimeoutMs?: number;
  /**
   * Whether to try again after a connection closed or an attempt failed. By default ({@link defaultShouldReconnect})
   * yes, except after a refused handshake (401, 403) and a close for cause (4403, 1008). Answering false stops the
   * client: `start()` rejects if it had not connected yet, and `stopped` is emitted with the error.
   */
  shouldReconnect?: (context: ReconnectContext) => boolean;
  /** Where the client logs what it does (connects, closes, decisions, dropped frames); silent by default. */
  logger?: GroupcastLogger;
  /** The random source of the backoff's and the hole timeout's jitter (tests); `Math.random` by default. */
  random?: () => number;
}

/** The client's state: `connecting` after start(), `reconnecting` after a drop. */
export type ConnectionState = 'stopped' | 'connecting' | 'connected' | 'reconnecting';

export interface StartOptions {
  /** Aborting it before the client connected stops the client, and start() rejects with code `aborted`. */
  signal?: AbortSignal;
}

export interface OperationOptions {
  /**
   * Aborting it rejects the operation with code `aborted`. The frame may have been sent already and take effect: a
   * join aborted late may have joined (the group is not rejoined after a reconnect).
   */
  signal?: AbortSignal;
}

export interface JoinOptions extends OperationOptions {
  /**
   * Rewind: the server first sends up to this many of the last messages it kept of the group (at most 500), from
   * before the join; needs the right to join the group by role or grant. Only this join: a rejoin after a reconnect
   * resumes instead.
   */
  rewind?: number;
  /** Rewind by time: the messages the server kept of the last this many seconds (at most 3,600). Not with `rewind`. */
  rewindSeconds?: number;
}

export interface SendOptions extends OperationOptions {
  /** Leave the sending connection itself out of the publish. */
  noEcho?: boolean;
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

/** Messages of a reliable stream this client will not get. */
export interface StreamGap {
  stream: string;
  /** The first number missed. */
  from: number;
  /** The last number missed; absent with `reset`. */
  to?: number;
  /** The numbering (epoch) the numbers belong to, when the server said. */
  epoch?: string;
  /**
   * The stream's numbering began again (a new epoch: the store lost it): everything after `from` of the old numbering
   * is gone, and the stream's next messages are numbered from 1.
   */
  reset?: boolean;
}

export interface GroupcastEvents {
  /**
   * Connected (again, when `reconnected`), and in every group it had joined. `connectionId` and `userId` are the
   * server's answer to `whoami`; undefined with a server older than it.
   */
  connected: { reconnected: boolean; connectionId?: string; userId?: string };
  /** The connection dropped; the client reconnects by itself unless told not to (then `stopped` follows). */
  disconnected: { code: number; reason: string };
  /** A (re)connect attempt is about to start after `delayMs`. */
  reconnecting: { attempt: number; delayMs: number };
  /** The client stopped: by `stop()` (no error), or by itself, with the error it may not come back from. */
  stopped: { error?: GroupcastError };
  /** A server's message (the notify's `message`). */
  message: unknown;
  /** A client's publish to a group. */
  'group-message': GroupMessage;
  /**
   * With `reliable`: messages `from` to `to` of `stream` expired (or were lost) before this client could get them; with
   * `reset`, the stream's numbering began again and nothing more of the old one will come.
   */
  gap: StreamGap;
  /** Something failed that the client works around by itself (a reconnect, a rejoin, a token). */
  error: GroupcastError;
}

/** The client's own answer to whether to reconnect: not after a 401 or 403 handshake, nor a close with 4403 or 1008. */
export declare function defaultShouldReconnect(context: ReconnectContext): boolean;

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
  /** Whether a connection is open now (`state === 'connected'`). */
  readonly connected: boolean;
  /** Where the client is: `stopped`, `connecting`, `connected`, `reconnecting`. */
  readonly state: ConnectionState;
  /** The id of the connection in use (from `whoami`); undefined while not connected. */
  readonly connectionId: string | undefined;
  /** The user the server knows this client as (from `whoami`); undefined while not connected. */
  readonly userId: string | undefined;
  /**
   * Connects, and keeps reconnecting while started; resolves once connected. Rejects with code `stopped` (stop()
   * came first), `aborted` (the signal), `connect_refused` (a 401 or 403 handshake) or `closed` (a close for cause).
   */
  start(options?: StartOptions): Promise<void>;
  /** Closes every connection and stops reconnecting; once it resolves no socket of the client is open. */
  stop(): Promise<void>;
  /**
   * Joins a group, rejoined after every reconnect; rejects with a GroupcastError (`forbidden`, ...). With `rewind`
   * the server first sends the last messages it kept of the group.
   */
  joinGroup(group: string, options?: JoinOptions): Promise<void>;
  /** Leaves a group; it is no longer rejoined. */
  leaveGroup(group: string, options?: OperationOptions): Promise<void>;
  /** Publishes to a group (needs the `sendToGroup` permission); resolves on the ack. */
  sendToGroup(group: string, data: unknown, options?: SendOptions): Promise<void>;
}
