import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useGateway, clientOf, until } from './gateway.js';

const gatewayOf = useGateway();

test('1,000 clients dropped at once come back spread over time, not all at once', { timeout: 600000 }, async () => {
  const clients = [];
  for (let i = 0; i < 1000; i++) {
    clients.push(clientOf(gatewayOf(), `js-storm-${i}`));
  }
  await Promise.all(clients.map((c) => c.client.start()));

  const dropped = Date.now();
  for (const c of clients) {
    // every socket open now: a client may have opened more than one while it started (a set-up that was retried)
    for (const socket of c.open()) {
      socket.terminate();
    }
  }
  try {
    await until('every client is back', () => clients.every((c) => c.count('connected') >= 2), 480000);
  } catch (error) {
    const counts = new Map();
    for (const c of clients) {
      const key = `${c.count('connected')} connected, state ${c.client.state}`;
      counts.set(key, (counts.get(key) || 0) + 1);
    }
    console.log('storm: clients by connects and state', Object.fromEntries(counts));
    throw error;
  }

  const firstTries = clients
    .map((c) => c.events.find((e) => e.event === 'reconnecting' && e.at >= dropped).value.delayMs)
    .sort((a, b) => a - b);
  const buckets = new Map();
  for (const delay of firstTries) {
    const bucket = Math.floor(delay / 100);
    buckets.set(bucket, (buckets.get(bucket) || 0) + 1);
  }
  const busiest = Math.max(...buckets.values());
  const back = clients
    .map((c) => c.events.filter((e) => e.event === 'connected' && e.at >= dropped)[0].at - dropped)
    .sort((a, b) => a - b);
  console.log(
    `storm: first tries from ${firstTries[0]} to ${firstTries[999]} ms, busiest 100 ms holds ${busiest}; ` +
      `back p50 ${back[499]} ms, p95 ${back[949]} ms, last ${back[999]} ms`,
  );
  assert.ok(firstTries[999] - firstTries[0] > 800, 'the first tries spread over most of a second');
  assert.ok(busiest < 200, `no 100 ms holds a fifth of them (busiest: ${busiest})`);
  assert.ok(firstTries[999] < 1000, 'every first try within 1 s');
  await Promise.all(clients.map((c) => c.client.stop()));
});
