// Reliable streams against a fake server whose frames the test orders: skips, replays overlapping live frames, new
// epochs, streams the client did not know of, rewinds, leaves, and how holes are asked for (fake timers, so the
// waits are exact and the test is as fast on a loaded machine as on an idle one).
import { test, mock, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { FakeServer, fakeClient, flush, seeded } from './fake.js';

beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 1_000_000 }));
afterEach(() => mock.timers.reset());

/** Advances the fake clock by `ms` in steps, letting answers arrive between them. */
async function tick(ms, step = 100) {
  for (let t = 0; t < ms; t += step) {
    mock.timers.tick(Math.min(step, ms - t));
    await flush(3);
  }
}

async function started(server, options) {
  const c = fakeClient(server, { random: seeded(7), ...options });
  const start = c.client.start();
  await flush();
  await start;
  return c;
}

const resumesOf = (server) => server.resumes.map((r) => r.frame);
const seqs = (got, stream) => got.filter((m) => m.stream === stream).map((m) => m.seq);

test('a skip moves the stream on: no wait, no resume, the excluded number never reaches the app', async () => {
  const server = new FakeServer();
  const c = await started(server);
  await c.client.joinGroup('room');
  await flush();
  const before = server.resumes.length;
  const [m1, m2, m3] = [server.publish('room', 1), server.publish('room', 2), server.publish('room', 3)];
  server.socket.receive(m1);
  server.socket.receive({ type: 'skip', stream: 'room', epoch: m2.epoch, seq: 2 });
  server.socket.receive(m3);
  await flush();
  assert.deepEqual(seqs(c.got, 'room'), [1, 3], 'message 3 at once, 2 never');
  await tick(120_000, 1000);
  assert.equal(server.resumes.length, before, 'no resume for a skipped number');
  // and a skip in a resume's replay: the client away, number 4 excluded, 5 for it
  server.publish('room', 4);
  const m5 = server.publish('room', 5);
  server.socket.receive({
    type: 'replay',
    stream: 'room',
    frames: [{ type: 'skip', stream: 'room', seq: 4, epoch: 'e1' }, m5],
  });
  await flush();
  assert.deepEqual(seqs(c.got, 'room'), [1, 3, 5]);
  assert.deepEqual(c.gaps, []);
  await c.client.stop();
});

test('a replay overlapping live frames hands each message to the app once, in order', async () => {
  const server = new FakeServer();
  const c = await started(server);
  await c.client.joinGroup('room');
  await flush();
  const frames = Array.from({ length: 8 }, (_, i) => server.publish('room', i + 1));
  for (const f of frames.slice(0, 5)) {
    server.socket.receive(f);
  }
  server.socket.receive(frames[6]); // 7 before 6
  server.socket.receive({ type: 'replay', stream: 'room', frames: frames.slice(2, 7) }); // 3 to 7
  server.socket.receive(frames[5]); // the live 6, late
  server.socket.receive(frames[7]);
  server.socket.receive({ type: 'replay', stream: 'room', frames: frames.slice(6, 8) });
  await flush();
  assert.deepEqual(seqs(c.got, 'room'), [1, 2, 3, 4, 5, 6, 7, 8]);
  // the same message through two streams (a notify to the user and the group): once
  const copy = { ...server.publish(`user:u`, 'x'), id: frames[7].id };
  server.socket.receive(copy);
  await flush();
  assert.equal(c.got.length, 8);
  await c.client.stop();
});

test('a new epoch starts the stream afresh: a gap marked reset, then 1, 2 of the new numbering', async () => {
  const server = new FakeServer();
  const c = await started(server);
  await c.client.joinGroup('room');
  await flush();
  const old = [server.publish('room', 'a1'), server.publish('room', 'a2'), server.publish('room', 'a3')];
  for (const f of old) {
    server.socket.receive(f);
  }
  server.wipe('room', 'e2');
  const fresh = [server.publish('room', 'b1'), server.publish('room', 'b2')];
  for (const f of fresh) {
    server.socket.receive(f);
  }
  server.socket.receive(old[2]); // a late copy of the ended numbering
  await flush();
  assert.deepEqual(
    c.got.map((m) => m.data),
    ['a1', 'a2', 'a3', 'b1', 'b2'],
  );
  assert.deepEqual(c.gaps, [{ stream: 'room', from: 4, epoch: 'e1', reset: true }]);
  await c.client.stop();
});

test('a resume sends the epochs; a gap without "to" (the store lost the stream) resets it', async () => {
  const server = new FakeServer();
  const c = await started(server);
  await c.client.joinGroup('room');
  await flush();
  for (let i = 1; i <= 3; i++) {
    server.socket.receive(server.publish('room', `a${i}`));
  }
  await flush();
  server.wipe('room', 'e2');
  const b = [1, 2, 3].map((i) => server.publish('room', `b${i}`));
  server.socket.close(1012, 'the store lost its data');
  await flush();
  await tick(60_000, 500);
  assert.equal(c.client.state, 'connected');
  const resume = resumesOf(server).at(-1);
  assert.equal(resume.streams.room, 3);
  assert.equal(resume.epochs?.room, 'e1', 'the epoch of the number given');
  assert.deepEqual(
    c.got.map((m) => m.data),
    ['a1', 'a2', 'a3', 'b1', 'b2', 'b3'],
    'the 3 messages after the wipe arrive',
  );
  assert.deepEqual(c.gaps, [{ stream: 'room', from: 4, epoch: 'e1', reset: true }]);
  assert.equal(b.length, 3);
  await c.client.stop();
});

test('a stream the client did not know (added by the server) is resolved by its first frame', async () => {
  const server = new FakeServer();
  const c = await started(server);
  server.publish('added', 'before'); // numbered before the connection was added: not for it
  server.socket.groups.add('added'); // PUT /groups/added/connections/{id}
  const m = server.publish('added', 'first');
  server.socket.receive(m);
  await flush();
  assert.deepEqual(resumesOf(server).at(-1).streams, { added: null }, 'one resume learns the head');
  assert.deepEqual(
    c.got.map((g) => g.data),
    ['first'],
  );
  server.socket.receive(server.publish('added', 'second'));
  await flush();
  assert.deepEqual(
    c.got.map((g) => g.data),
    ['first', 'second'],
  );
  // a group linked at connect is in whoami: its head is learnt at set-up
  const linked = new FakeServer({ groups: ['linked'] });
  linked.publish('linked', 'old');
  const d = await started(linked);
  assert.deepEqual(resumesOf(linked)[0].streams, { 'user:u': null, linked: null });
  linked.socket.receive(linked.publish('linked', 'new'));
  await flush();
  assert.deepEqual(
    d.got.map((g) => g.data),
    ['new'],
  );
  await c.client.stop();
  await d.client.stop();
});

test("a join whose ack races the group's frames, and a rewind, lose nothing", async () => {
  const server = new FakeServer();
  for (let i = 1; i <= 30; i++) {
    server.publish('room', i);
  }
  const c = await started(server);
  const joining = c.client.joinGroup('room', { rewind: 20 });
  await flush();
  await joining;
  const { ackId, ...join } = server.socket.sent.find((f) => f.action === 'join');
  assert.deepEqual(join, { action: 'join', group: 'room', rewind: 20 });
  assert.ok(ackId > 0);
  assert.deepEqual(
    seqs(c.got, 'room'),
    Array.from({ length: 20 }, (_, i) => i + 11),
    'the last 20 kept',
  );
  // a live frame that overtakes the join's ack
  const d = await started(server);
  const racing = d.client.joinGroup('other');
  server.socket.receive(server.publish('other', 'raced'));
  await flush();
  await racing;
  assert.deepEqual(
    d.got.map((g) => g.data),
    ['raced'],
  );
  await c.client.stop();
  await d.client.stop();
});

test('a stream is forgotten only once its leave is acked: frames before the ack are handed over', async () => {
  const server = new FakeServer();
  const c = await started(server);
  await c.client.joinGroup('room');
  await flush();
  server.socket.receive(server.publish('room', 1));
  const leaving = c.client.leaveGroup('room');
  server.socket.receive(server.publish('room', 2)); // sent before the server handled the leave
  await flush();
  await leaving;
  assert.deepEqual(seqs(c.got, 'room'), [1, 2]);
  const resumes = server.resumes.length;
  server.socket.receive(server.publish('room', 3)); // late, after the leave
  await flush();
  await tick(20_000, 1000);
  assert.deepEqual(seqs(c.got, 'room'), [1, 2], 'nothing of a group left');
  assert.ok(server.resumes.length <= resumes + 1, 'at most one check');
  await c.client.stop();
});

test('a hole is asked for after holeTimeoutMs times 1 to 2, then with doubling waits, never on every frame', async () => {
  const server = new FakeServer();
  const c = await started(server, { holeTimeoutMs: 5000 });
  await c.client.joinGroup('room');
  await flush();
  const holeOf = () => server.resumes.filter((r) => r.frame.streams.room === 1);
  server.socket.receive(server.publish('room', 1));
  server.publish('room', 2); // lost, and not kept either: each resume finds nothing
  server.stream('room').kept.delete(2);
  const start = Date.now();
  for (let i = 0; i < 40; i++) {
    server.socket.receive(server.publish('room', 3 + i)); // one frame a second keeps arriving
    await tick(1000, 250);
  }
  await tick(80_000, 1000);
  const at = holeOf().map((r) => r.at - start);
  assert.ok(at[0] >= 5000 && at[0] < 10000, `first ask in [5 s, 10 s): ${at}`);
  for (let i = 1; i < at.length; i++) {
    const wait = at[i] - at[i - 1];
    const base = Math.min(5000 * 2 ** i, 60000);
    assert.ok(wait >= base - 300 && wait < 2 * base + 300, `ask ${i + 1} after ${wait} ms, in [${base}, ${2 * base})`);
  }
  assert.ok(at.length <= 5, `${at.length} asks in 120 s`);
  // the message comes: the stream moves on and no further ask is made
  server.stream('room').kept.set(2, { ...server.stream('room').kept.get(3), seq: 2, id: 'room/2', data: 2 });
  await tick(130_000, 1000);
  assert.deepEqual(
    seqs(c.got, 'room'),
    Array.from({ length: 42 }, (_, i) => i + 1),
  );
  const asks = holeOf().length;
  await tick(130_000, 1000);
  assert.equal(holeOf().length, asks);
  await c.client.stop();
});
