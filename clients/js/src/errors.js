// The one error type of the client: what failed is its `code`, an error frame's or the client's own.

/** An error from Groupcast: `code` is the error frame's code (`forbidden`, `rate_limited`, ...) or the client's own. */
export class GroupcastError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {{ group?: string, closeCode?: number, closeReason?: string, status?: number, ackId?: number }} [details]
   */
  constructor(code, message, details = {}) {
    super(message);
    /** @type {'GroupcastError'} */
    this.name = 'GroupcastError';
    /** @type {string} */
    this.code = code;
    /** @type {string | undefined} */
    this.group = details.group;
    /** @type {number | undefined} */
    this.closeCode = details.closeCode;
    /** @type {string | undefined} */
    this.closeReason = details.closeReason;
    /** @type {number | undefined} */
    this.status = details.status;
    /** @type {number | undefined} */
    this.ackId = details.ackId;
    for (const key of /** @type {const} */ (['group', 'closeCode', 'closeReason', 'status', 'ackId'])) {
      if (this[key] === undefined) {
        delete this[key];
      }
    }
  }
}

/**
 * Whether an error is about the connection rather than the operation (closed, timed out, aborted, stopped): a rejoin
 * failing with one gives up on the connection; any other is the server refusing that one group.
 * @param {unknown} error
 */
export function isConnectionError(error) {
  return error instanceof GroupcastError && ['not_connected', 'timeout', 'aborted', 'stopped'].includes(error.code);
}

/**
 * Any thrown value as a GroupcastError, with `code` when it is not one.
 * @param {unknown} error
 * @param {string} code
 */
export function asGroupcastError(error, code) {
  if (error instanceof GroupcastError) {
    return error;
  }
  const message = error instanceof Error ? error.message : String(error);
  return new GroupcastError(code, message);
}
