// The client's logging: through the app's `logger` (console-like: debug, info, warn, error), silent without one.

/**
 * @typedef {(message: string, fields?: Record<string, unknown>) => void} LogMethod
 * @typedef {{ debug: LogMethod, info: LogMethod, warn: LogMethod, error: LogMethod }} Logger
 * @import { GroupcastLogger } from './index.js'
 */

/** @type {LogMethod} */
const silent = () => {};

/**
 * A logger whose every level exists: the app's methods where it has them, the others silent. A logger that throws
 * is ignored: logging never breaks the connection.
 * @param {GroupcastLogger | undefined} logger
 * @returns {Logger}
 */
export function loggerOf(logger) {
  /** @param {'debug' | 'info' | 'warn' | 'error'} level @returns {LogMethod} */
  const level = (level) => {
    const method = logger?.[level];
    if (typeof method !== 'function') {
      return silent;
    }
    return (message, fields) => {
      try {
        method.call(logger, `[groupcast] ${message}`, fields ?? {});
      } catch {
        // a logger that throws is the app's problem, never the connection's
      }
    };
  };
  return { debug: level('debug'), info: level('info'), warn: level('warn'), error: level('error') };
}
