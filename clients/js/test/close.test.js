// A server-side "do not come back": a close with 4403 (Groupcast's "closed for cause") or 1008 (policy violation)
// ends the client instead of reconnecting. The local gateway closes only with 1000, 1001 and 1012, so these tests
// run the client against a small loopback server that speaks the protocol and closes with the code under test.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket, { WebSocketServer } from 'ws';
import { GroupcastClient, defaultShouldReconnect } from '../src/index.js';
import { until } from './gateway.js';

const servers = [];
after(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

/** A server that answers whoami and joins with their ackIds, and counts its connections. */
async function fakeServer() {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: (protocols) => [...protocols][0] });
  servers.push(server);
  let connections = 0;
  server.on('connection', (socket) => {
    connections += 1;
    const id = `fake-${connections}`;
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data));
      if (frame.action === 'whoami') {
        socket.send(JSON.stringify({ type: 'whoami', connectionId: id, userId: 'u', groups: [], ackId: frame.ackId }));
      } else if (frame.action === 'join') {
        socket.send(JSON.stringify({ type: 'ack', action: 'join', group: frame.group, ackId: frame.ackId }));
      }
    });
  });
  await new Promise((resolve) => server.on('listening', resolve));
  return {
    url: `ws://127.0.0.1:${server.address().port}/`,
    connections: () => connections,
    closeAll: (code, reason) => server.clients.forEach((s) => s.close(code, reason)),
  };
}

function clientOf(server) {
  const client = new GroupcastClient({
    url: server.url,
    getToken: () => 't',
    WebSocket,
    initialDelayMs: 10,
    maxDelayMs: 20,
  });
  const events = [];
  for (const event of ['connected', 'disconnected', 'reconnecting', 'stopped', 'error']) {
    client.on(event, (value) => events.push({ event, value }));
  }
  return { client, events, count: (event) => events.filter((e) => e.event === event).length };
}

for (const code of [4403, 1008]) {
  test(
    `a close with ${code} from the server: disconnected, then stopped, no reconnect`,
    { timeout: 30000 },
    async () => {
      const server = await fakeServer();
      const c = clientOf(server);
      await c.client.start();
      await c.client.joinGroup('room');

      server.closeAll(code, 'closed for cause');
      await until('stopped', () => c.count('stopped') === 1);

      assert.equal(c.client.state, 'stopped');
      assert.deepEqual(c.events.find((e) => e.event === 'disconnected').value, { code, reason: 'closed for cause' });
      const { error } = c.events.find((e) => e.event === 'stopped').value;
      assert.equal(error.code, 'closed');
      assert.equal(error.closeCode, code);
      assert.equal(c.count('reconnecting'), 0);
      assert.equal(server.connections(), 1);
    },
  );
}

test('a close with 1001 (going away) from the server: reconnects as after any drop', { timeout: 30000 }, async () => {
  const server = await fakeServer();
  const c = clientOf(server);
  await c.client.start();

  server.closeAll(1001, 'going away');
  await until('back', () => c.count('connected') === 2);

  assert.equal(server.connections(), 2);
  assert.equal(c.count('stopped'), 0);
  await c.client.stop();
});

test('defaultShouldReconnect: not after 401, 403, 4403 or 1008; after anything else', () => {
  assert.equal(defaultShouldReconnect({ attempt: 1, status: 401 }), false);
  assert.equal(defaultShouldReconnect({ attempt: 1, status: 403 }), false);
  assert.equal(defaultShouldReconnect({ attempt: 0, closeCode: 4403 }), false);
  assert.equal(defaultShouldReconnect({ attempt: 0, closeCode: 1008 }), false);
  assert.equal(defaultShouldReconnect({ attempt: 1, status: 429 }), true);
  assert.equal(defaultShouldReconnect({ attempt: 1, status: 500 }), true);
  for (const closeCode of [1000, 1001, 1006, 1011, 1012, 4000]) {
    assert.equal(defaultShouldReconnect({ attempt: 0, closeCode }), true, String(closeCode));
  }
});
