// A TCP proxy on loopback between the clients and the local gateway, to make the network misbehave on purpose:
// a link that goes dead without closing, a handshake that never completes, a server that never hears the client.
import net from 'node:net';

/**
 * Starts a proxy to the gateway's WebSocket URL. `mode` applies to connections accepted from then on:
 * - `forward`: a plain pipe;
 * - `blackhole`: accepts the TCP connection and never forwards it (the handshake never completes);
 * - `mute`: forwards the handshake, then drops everything the client sends (its frames never reach the server).
 * `freeze()` makes every open connection drop what it carries both ways, closing nothing: a dead link.
 */
export async function startProxy(targetUrl) {
  const target = new URL(targetUrl);
  const connections = new Set();
  const proxy = {
    mode: 'forward',
    url: '',
    /** How many connections it accepted. */
    accepted: 0,
    freeze() {
      for (const connection of connections) {
        connection.frozen = true;
      }
    },
    async close() {
      for (const connection of connections) {
        connection.client.destroy();
        connection.upstream?.destroy();
      }
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server = net.createServer((client) => {
    proxy.accepted += 1;
    const connection = { client, upstream: null, frozen: false, muted: false };
    connections.add(connection);
    client.on('error', () => {});
    client.on('close', () => {
      connections.delete(connection);
      connection.upstream?.destroy();
    });
    if (proxy.mode === 'blackhole') {
      client.resume(); // read and drop
      return;
    }
    const mode = proxy.mode;
    const upstream = net.connect(Number(target.port), target.hostname);
    connection.upstream = upstream;
    upstream.on('error', () => {});
    upstream.on('close', () => client.destroy());
    client.on('data', (chunk) => {
      if (!connection.frozen && !connection.muted) {
        upstream.write(chunk);
      }
    });
    upstream.on('data', (chunk) => {
      if (!connection.frozen) {
        client.write(chunk);
      }
      if (mode === 'mute') {
        connection.muted = true; // the handshake's answer passed: from now on the server hears nothing
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `ws://127.0.0.1:${server.address().port}${target.pathname}`;
  return proxy;
}
