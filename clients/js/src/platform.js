// What the client takes from the platform it runs on: a WebSocket class, and in a browser the events that say a
// connection may have died meanwhile (the network came back, the page is shown again).

import { GroupcastError } from './errors.js';

/** @import { WebSocketClass } from './index.js' */

/**
 * The WebSocket class when the app passes none: the platform's (browsers, Node.js 22 and later), else the `ws`
 * package's (Node.js 20: install it), loaded only then.
 * @returns {Promise<WebSocketClass>}
 */
export async function defaultWebSocket() {
  const platform = /** @type {{ WebSocket?: WebSocketClass }} */ (globalThis).WebSocket;
  if (typeof platform === 'function') {
    return platform;
  }
  const name = 'ws';
  try {
    const ws = await import(/* webpackIgnore: true */ /* @vite-ignore */ name);
    return ws.WebSocket || ws.default;
  } catch {
    throw new GroupcastError(
      'no_websocket',
      'no WebSocket class: this platform has none built in (Node.js before 22); install the ws package or pass { WebSocket }',
    );
  }
}

/**
 * Calls `wake` when a browser comes back online or shows the page again; nothing where there is no window or document
 * (Node.js). Answers the function that stops listening.
 * @param {() => void} wake
 * @returns {() => void}
 */
export function onWakeUp(wake) {
  /** @type {(() => void)[]} */
  const removals = [];
  const scope = /** @type {Partial<EventTarget>} */ (globalThis);
  if (typeof scope.addEventListener === 'function' && typeof scope.removeEventListener === 'function') {
    const remove = scope.removeEventListener.bind(scope);
    scope.addEventListener('online', wake);
    removals.push(() => remove('online', wake));
  }
  const document = /** @type {{ document?: EventTarget & { visibilityState?: string } }} */ (globalThis).document;
  if (document && typeof document.addEventListener === 'function') {
    const visible = () => {
      if (document.visibilityState === 'visible') {
        wake();
      }
    };
    document.addEventListener('visibilitychange', visible);
    removals.push(() => document.removeEventListener('visibilitychange', visible));
  }
  return () => removals.forEach((remove) => remove());
}
