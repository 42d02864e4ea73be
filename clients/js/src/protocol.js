// The wire protocol in one place: the subprotocols, the frames the client writes, the frames it reads (parsed once
// into typed values), and what a close code or a refused handshake means. See docs/client-protocol.md.

/** The subprotocol whose frames are all enveloped, so no message can pass for a protocol frame. */
export const PROTOCOL = 'groupcast.json.v1';

/** The subprotocol whose messages are numbered per stream, so a client that comes back resumes what it missed. */
export const RELIABLE_PROTOCOL = 'groupcast.reliable.v1';

/** The most streams one `resume` frame may name: the server refuses more. */
export const MAX_RESUME_STREAMS = 100;

/** The most connections a `resume` may name as the ones it replaces (`previous`): the server refuses more. */
export const MAX_PREVIOUS = 10;

/** API Gateway's limit for a message in either direction; a larger one closes the connection with 1009. */
export const MAX_FRAME_BYTES = 128 * 1024;

/**
 * Close codes with which the server says "closed for cause, do not come back": 4403 (Groupcast's own) and 1008 (the
 * WebSocket standard's policy violation).
 */
export const DO_NOT_RECONNECT_CLOSE_CODES = Object.freeze([4403, 1008]);

/** Handshake statuses that a retry with the same identity cannot fix: no token (401), a refused one (403). */
export const REFUSED_STATUSES = Object.freeze([401, 403]);

/** The keep-alive frame: API Gateway answers it itself (a MOCK route), without `ackId`. */
export const PING_FRAME = '{"action":"ping"}';

/**
 * @typedef {{ action: 'join' | 'leave', group: string, rewind?: number, rewindSeconds?: number }} MembershipFrame
 * @typedef {{ action: 'send', group: string, data: unknown, noEcho?: true }} SendFrame
 * @typedef {object} ResumeFrame
 * @property {'resume'} action
 * @property {Record<string, number | null>} streams the last number handed over per stream (null: only the head)
 * @property {Record<string, string>} [epochs] the epoch of each number given
 * @property {string[]} [previous] the connections this one replaces: what was not for them is not for it
 * @typedef {{ action: 'whoami' }} WhoamiRequest
 * @typedef {MembershipFrame | SendFrame | ResumeFrame | WhoamiRequest} ClientFrame  a frame answered by an ack
 */

/** The frames the client sends; the link adds `ackId`. */
export const clientFrames = {
  /**
   * @param {string} group
   * @param {{ rewind?: number, rewindSeconds?: number }} [from] a rewind: the last messages kept before the join
   * @returns {MembershipFrame}
   */
  join: (group, { rewind, rewindSeconds } = {}) => {
    /** @type {MembershipFrame} */
    const frame = { action: 'join', group };
    if (rewind !== undefined) {
      frame.rewind = rewind;
    }
    if (rewindSeconds !== undefined) {
      frame.rewindSeconds = rewindSeconds;
    }
    return frame;
  },
  /** @param {string} group @returns {MembershipFrame} */
  leave: (group) => ({ action: 'leave', group }),
  /**
   * @param {string} group
   * @param {unknown} data
   * @param {boolean} [noEcho]
   * @returns {SendFrame}
   */
  send: (group, data, noEcho) => {
    /** @type {SendFrame} */
    const frame = { action: 'send', group, data: data === undefined ? null : data };
    if (noEcho) {
      frame.noEcho = true;
    }
    return frame;
  },
  /**
   * @param {Record<string, number | null>} streams
   * @param {Record<string, string>} [epochs] the epoch of each number given
   * @param {string[]} [previous] the connections this one replaces
   * @returns {ResumeFrame}
   */
  resume: (streams, epochs, previous) => {
    /** @type {ResumeFrame} */
    const frame = { action: 'resume', streams };
    if (epochs && Object.keys(epochs).length > 0) {
      frame.epochs = epochs;
    }
    if (previous && previous.length > 0) {
      frame.previous = previous;
    }
    return frame;
  },
  /** @returns {WhoamiRequest} */
  whoami: () => ({ action: 'whoami' }),
};

/**
 * Writes a client frame with its ackId as JSON text.
 * @param {ClientFrame} frame
 * @param {number | undefined} ackId
 */
export function writeFrame(frame, ackId) {
  return JSON.stringify(ackId === undefined ? frame : { ...frame, ackId });
}

/** The UTF-8 length of a text, as API Gateway counts a frame. */
const encoder = new TextEncoder();
/** @param {string} text */
export function byteLength(text) {
  return encoder.encode(text).length;
}

/**
 * @typedef {{ type: 'ack', action?: string, group?: string, ackId?: number, duplicate?: boolean }} AckFrame
 * @typedef {{ type: 'error', error: string, message: string, ackId?: number }} ErrorFrame
 * @typedef {{ type: 'whoami', connectionId: string, userId: string, groups: string[], ackId?: number }} WhoamiFrame
 * @typedef {object} ResumedFrame
 * @property {'resumed'} type
 * @property {Record<string, number>} heads each stream's last taken number
 * @property {Record<string, string>} epochs each stream's epoch (none for a stream that never numbered a message)
 * @property {boolean} [more]
 * @property {string[]} [ignored]
 * @property {number} [ackId]
 * @typedef {AckFrame | ErrorFrame | WhoamiFrame | ResumedFrame} AnswerFrame  the answer to a client frame
 * @typedef {{ type: 'pong' }} PongFrame
 * @typedef {{ from: 'server', data: unknown }} FromServer
 * @typedef {{ from: 'group', group: string, fromUserId: string, data: unknown }} FromGroup
 * @typedef {{ stream: string, seq: number, id?: string, epoch?: string }} Position
 * @typedef {{ type: 'message' } & (FromServer | FromGroup)} MessageFrame  a live message without a stream position
 * @typedef {{ type: 'message' } & (FromServer | FromGroup) & Position} StreamMessageFrame  a numbered message
 * @typedef {{ type: 'gap', stream: string, from: number, to?: number, epoch?: string }} GapFrame  without `to`: the
 *   numbering ended after `from` (a new epoch)
 * @typedef {{ type: 'skip', stream: string, seq: number, epoch?: string }} SkipFrame
 * @typedef {StreamMessageFrame | GapFrame | SkipFrame} StreamFrame
 * @typedef {{ type: 'replay', stream: string, frames: StreamFrame[] }} ReplayFrame  a resume's frames of one stream,
 *   in order
 * @typedef {{ type: 'plain', value: unknown }} PlainFrame  a server's message on a connection without an envelope
 * @typedef {{ type: 'invalid' }} InvalidFrame  text that is not JSON
 * @typedef {AnswerFrame | PongFrame | MessageFrame | StreamFrame | ReplayFrame | PlainFrame | InvalidFrame} ServerFrame
 */

const ANSWERS = new Set(['ack', 'error', 'whoami', 'resumed']);

/**
 * Reads a text frame once into a typed value. On an enveloped connection (a subprotocol) every frame is Groupcast's;
 * on a plain one a server's message is the notify's JSON itself, and could look like anything.
 * @param {string} text
 * @param {{ enveloped: boolean, reliable: boolean }} connection
 * @returns {ServerFrame}
 */
export function readFrame(text, { enveloped, reliable }) {
  /** @type {unknown} */
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return { type: 'invalid' };
  }
  if (!isObject(value)) {
    return { type: 'plain', value };
  }
  const type = value.type;
  if (type === 'pong') {
    return { type: 'pong' };
  }
  if (typeof type === 'string' && ANSWERS.has(type)) {
    const ackId = positiveInteger(value.ackId);
    if (type === 'error') {
      return { type, error: String(value.error), message: String(value.message), ackId };
    }
    if (type === 'whoami') {
      return {
        type,
        connectionId: String(value.connectionId),
        userId: String(value.userId),
        groups: Array.isArray(value.groups) ? value.groups.map(String) : [],
        ackId,
      };
    }
    if (type === 'resumed') {
      return {
        type,
        heads: isObject(value.heads) ? /** @type {Record<string, number>} */ (value.heads) : {},
        epochs: isObject(value.epochs) ? /** @type {Record<string, string>} */ (value.epochs) : {},
        more: value.more === true,
        ignored: Array.isArray(value.ignored) ? value.ignored.map(String) : [],
        ackId,
      };
    }
    const ack = /** @type {AckFrame} */ ({ ...value, ackId });
    return ack;
  }
  if (reliable && typeof value.stream === 'string') {
    if (type === 'replay' && Array.isArray(value.frames)) {
      /** @type {StreamFrame[]} */
      const frames = [];
      for (const each of value.frames) {
        const frame = isObject(each) ? streamFrame(each) : null;
        if (frame) {
          frames.push(frame);
        }
      }
      return { type, stream: value.stream, frames };
    }
    const frame = streamFrame(value);
    if (frame) {
      return frame;
    }
  }
  if (type === 'message' && value.from === 'group') {
    return /** @type {MessageFrame} */ (value);
  }
  if (enveloped && type === 'message' && value.from === 'server') {
    return /** @type {MessageFrame} */ (value);
  }
  return { type: 'plain', value };
}

/**
 * A numbered message, a gap or a skip of a stream (alone, or one of a replay's), or null when it is none of these.
 * @param {Record<string, any>} value
 * @returns {StreamFrame | null}
 */
function streamFrame(value) {
  const { type, stream } = value;
  if (typeof stream !== 'string') {
    return null;
  }
  const epoch = typeof value.epoch === 'string' ? value.epoch : undefined;
  if (type === 'gap' && typeof value.from === 'number') {
    return { type, stream, from: value.from, to: typeof value.to === 'number' ? value.to : undefined, epoch };
  }
  if (type === 'skip' && typeof value.seq === 'number') {
    return { type, stream, seq: value.seq, epoch };
  }
  if (type === 'message' && typeof value.seq === 'number') {
    return /** @type {StreamMessageFrame} */ (value);
  }
  return null;
}

/**
 * The HTTP status of a refused handshake, when the WebSocket class tells it: the `ws` package does ("Unexpected server
 * response: 403"); browsers and Node.js's built-in WebSocket do not.
 * @param {unknown} event an error event
 * @returns {number | undefined}
 */
export function refusalStatus(event) {
  const e = /** @type {{ message?: unknown, error?: { message?: unknown } } | null | undefined} */ (event);
  const message = [e?.message, e?.error?.message].find((m) => typeof m === 'string');
  const match = typeof message === 'string' ? /Unexpected server response: (\d{3})/.exec(message) : null;
  return match ? Number(match[1]) : undefined;
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, any>}
 */
function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** @param {unknown} value */
function positiveInteger(value) {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}
