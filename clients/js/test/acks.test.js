// Operations correlated by ackId (docs/client-protocol.md): every frame answered by an ack carries a positive ackId,
// counted per connection; the ack or error frame echoes it. These need a server that echoes ackIds and knows whoami.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useGateway, clientOf, until, connectionsOf, parsed } from './gateway.js';

const gatewayOf = useGateway();

const answers = (socket) => parsed(socket.received, (f) => ['ack', 'error', 'whoami', 'resumed'].includes(f.type));

test('connected tells the connection id and user id the server knows (whoami)', { timeout: 60000 }, async () => {
  const c = clientOf(gatewayOf(), 'js-whoami');
  await c.client.start();

  const [id] = await connectionsOf(gatewayOf(), 'js-whoami');
  const connected = c.events.find((e) => e.event === 'connected').value;
  assert.deepEqual(connected, { reconnected: false, connectionId: id, userId: 'js-whoami' });
  assert.equal(c.client.connectionId, id);
  assert.equal(c.client.userId, 'js-whoami');
  await c.client.stop();
  assert.equal(c.client.connectionId, undefined);
});

test(
  'every operation frame carries an ackId counted from 1 per connection, and its answer echoes it',
  { timeout: 60000 },
  async () => {
    const c = clientOf(gatewayOf(), 'js-ackids');
    await c.client.start();
    await c.client.joinGroup('js-ackids-a');
    await assert.rejects(c.client.joinGroup('user:someone'), (e) => e.code === 'reserved_group' && e.ackId === 3);
    await c.client.sendToGroup('js-ackids-a', 'x');
    const [id] = await connectionsOf(gatewayOf(), 'js-ackids');
    await gatewayOf().call('DELETE', `/connections/${encodeURIComponent(id)}`);
    await until('back', () => c.count('connected') === 2);

    const first = parsed(c.sockets[0].sent, (f) => f.action !== 'ping');
    assert.deepEqual(
      first.map((f) => [f.action, f.ackId]),
      [
        ['whoami', 1],
        ['join', 2],
        ['join', 3],
        ['send', 4],
      ],
    );
    assert.deepEqual(
      answers(c.sockets[0]).map((f) => [f.type, f.ackId]),
      [
        ['whoami', 1],
        ['ack', 2],
        ['error', 3],
        ['ack', 4],
      ],
    );
    assert.deepEqual(
      parsed(c.sockets[1].sent, (f) => f.action !== 'ping').map((f) => [f.action, f.ackId]),
      [
        ['whoami', 1],
        ['join', 2],
      ],
      'counted again from 1 on the new connection',
    );
    await c.client.stop();
  },
);

test('a late answer does not settle the next operation', { timeout: 60000 }, async () => {
  const c = clientOf(gatewayOf(), 'js-late', { roles: ['groupcast.sendToGroup.js-late-room'] });
  await c.client.start();

  const controller = new AbortController();
  const sending = c.client.sendToGroup('js-late-room', 'slow', { signal: controller.signal });
  controller.abort(); // gave up on it: its ack is on its way all the same
  const joining = c.client.joinGroup('js-late-closed'); // forbidden: no joinLeaveGroup role

  await assert.rejects(sending, (e) => e.code === 'aborted');
  await assert.rejects(joining, (e) => e.code === 'forbidden', "the send's late ack must not resolve the join");
  await until('the send was acked meanwhile', () =>
    answers(c.sockets[0]).some((f) => f.type === 'ack' && f.action === 'send'),
  );
  await c.client.stop();
});

test('operations are pipelined: 20 joins go out before the first answer comes back', { timeout: 60000 }, async () => {
  const c = clientOf(gatewayOf(), 'js-pipelined');
  await c.client.start();
  const from = c.frames.length;

  await Promise.all(Array.from({ length: 20 }, (_, i) => c.client.joinGroup(`js-pipe-${i}`)));

  const frames = c.frames.slice(from).map((f) => ({ ...JSON.parse(f.text), direction: f.direction }));
  const firstAnswer = frames.findIndex((f) => f.direction === 'in');
  assert.equal(frames.slice(0, firstAnswer).filter((f) => f.action === 'join').length, 20);
  assert.equal(c.client.joinedGroups.length, 20);
  await c.client.stop();
});

test('after a reconnect every group is rejoined at once, not one after the other', { timeout: 60000 }, async () => {
  const c = clientOf(gatewayOf(), 'js-parallel-rejoin');
  await c.client.start();
  await Promise.all(Array.from({ length: 10 }, (_, i) => c.client.joinGroup(`js-rejoin-${i}`)));
  const [id] = await connectionsOf(gatewayOf(), 'js-parallel-rejoin');

  await gatewayOf().call('DELETE', `/connections/${encodeURIComponent(id)}`);
  await until('back', () => c.count('connected') === 2);

  const frames = c.frames.filter((f) => f.socket === 1).map((f) => ({ ...JSON.parse(f.text), direction: f.direction }));
  const firstJoinAnswer = frames.findIndex((f) => f.direction === 'in' && f.type === 'ack' && f.action === 'join');
  assert.equal(frames.slice(0, firstJoinAnswer).filter((f) => f.action === 'join').length, 10);
  assert.equal((await gatewayOf().call('GET', '/groups/js-rejoin-9/connections')).connections.length, 1);
  await c.client.stop();
});
