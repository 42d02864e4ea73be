// @groupcast/client: a Groupcast WebSocket client that reconnects, rejoins its groups, keeps its connection alive
// and rolls it over before API Gateway's two-hour cut. No runtime dependencies: it uses the platform's WebSocket
// (browsers, Node.js 22 and later), one passed in, or on Node.js 20 the `ws` package's.
//
// The modules, by concern: protocol.js (frames in and out), link.js (one connection and its acks), client.js (the
// client: connect, set up, reconnect, keep alive, roll over), lifecycle.js (a run, reconnect rules), streams.js
// (reliable delivery), events.js, errors.js, log.js, platform.js (WebSocket class, browser wake-ups). The
// declarations are in index.d.ts.

export { GroupcastClient } from './client.js';
export { defaultShouldReconnect } from './lifecycle.js';
export { GroupcastError } from './errors.js';
export { PROTOCOL, RELIABLE_PROTOCOL } from './protocol.js';
