import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { useGateway, until } from './gateway.js';

const gatewayOf = useGateway();

test(
  'an async notify to 1,000 real WebSocket clients: 202, then completed with 1,000 delivered, one frame each',
  { timeout: 180000 },
  async () => {
    const gateway = gatewayOf();
    const sockets = [];
    const frames = [];
    for (let i = 0; i < 1000; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, async (_, j) => {
          const n = i + j;
          const token = await gateway.token(`scale-${n}`);
          const ws = new WebSocket(`${gateway.url}?token=${token}`);
          frames[n] = [];
          ws.on('message', (data) => frames[n].push(String(data)));
          await new Promise((resolve, reject) => {
            ws.on('open', resolve);
            ws.on('error', reject);
          });
          sockets[n] = ws;
        }),
      );
    }

    const answer = await fetch(`${gateway.http}/notify`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ all: true, async: true, message: { to: 'everyone' } }),
    });
    const accepted = await answer.json();
    assert.equal(answer.status, 202, JSON.stringify(accepted));
    assert.equal(accepted.status, 'accepted');
    assert.equal(accepted.statusUrl, `/notifications/${accepted.notificationId}`);

    let status;
    await until(
      'the notification completes',
      async () => {
        status = await gateway.call('GET', accepted.statusUrl);
        return status.status === 'completed';
      },
      120000,
    );
    assert.equal(status.delivered, 1000, JSON.stringify(status));
    assert.equal(status.recipients, 1000);
    assert.equal(status.skipped, 0);
    await until('every client has its frame', () => frames.every((f) => f.length >= 1), 10000);
    assert.deepEqual(
      frames.map((f) => f.length).filter((n) => n !== 1),
      [],
      'every client got exactly one frame',
    );
    assert.ok(frames.every((f) => f[0] === '{"to":"everyone"}'));
    console.log(`scale: 1,000 clients, ${status.slices.total} slices, completed`);
    await Promise.all(
      sockets.map(
        (ws) =>
          new Promise((resolve) => {
            ws.on('close', resolve);
            ws.close();
          }),
      ),
    );
  },
);
