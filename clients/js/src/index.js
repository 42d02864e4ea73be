// @groupcast/client: a Groupcast WebSocket client that reconnects, rejoins its groups, keeps its connection alive
// and rolls it over before API Gateway's two-hour cut. No runtime dependencies: it uses the platform's WebSocket
// (browsers, Node.js 22 and later), one passed in, or on Node.js 20 the `ws` package's.
//
// The modules, by concern: protocol.js (frames in and out), link.js (one connection, its acks), client.js (lifecycle
// and reconnect), streams.js (reliable delivery), errors.js, log.js. The declarations are in index.d.ts.

export { GroupcastClient, defaultShouldReconnect } from './client.js';
export { GroupcastError } from './errors.js';
export { PROTOCOL, RELIABLE_PROTOCOL } from './protocol.js';
