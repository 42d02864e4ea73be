// The client's events: who listens to what, and calling them so that a throwing handler breaks nothing.

import { GroupcastError } from './errors.js';

/** @import { GroupcastEvents, StreamPosition } from './index.js' */

/** Every event a client emits. */
export const EVENTS = /** @type {const} */ ([
  'connected',
  'disconnected',
  'reconnecting',
  'stopped',
  'message',
  'group-message',
  'gap',
  'error',
]);

export class Emitter {
  /** @type {Map<string, Set<(value: any, position?: StreamPosition) => void>>} */
  #handlers = new Map(EVENTS.map((event) => [event, new Set()]));

  /**
   * @template {keyof GroupcastEvents} E
   * @param {E} event
   * @param {(value: GroupcastEvents[E], position?: StreamPosition) => void} handler
   */
  on(event, handler) {
    this.#handlersOf(event).add(handler);
  }

  /**
   * @template {keyof GroupcastEvents} E
   * @param {E} event
   * @param {(value: GroupcastEvents[E], position?: StreamPosition) => void} handler
   */
  off(event, handler) {
    this.#handlersOf(event).delete(handler);
  }

  /**
   * Calls every handler of the event; one that throws is an `error` event (`handler_failed`), and the others still run.
   * @template {keyof GroupcastEvents} E
   * @param {E} event
   * @param {GroupcastEvents[E]} value
   * @param {StreamPosition} [position]
   */
  emit(event, value, position) {
    for (const handler of [...this.#handlersOf(event)]) {
      try {
        handler(value, position);
      } catch (e) {
        if (event !== 'error') {
          this.emit(
            'error',
            new GroupcastError('handler_failed', `a ${event} handler threw: ${e instanceof Error ? e.message : e}`),
          );
        }
      }
    }
  }

  /** @param {string} event */
  #handlersOf(event) {
    const handlers = this.#handlers.get(event);
    if (!handlers) {
      throw new TypeError(`unknown event ${event}; one of ${EVENTS.join(', ')}`);
    }
    return handlers;
  }
}
