// Starts the real local gateway (the jar Maven builds) for the tests, on free ports, with its dev secret.
import { spawn } from 'node:child_process';
import { before, after } from 'node:test';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { GroupcastClient } from '../src/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const jar = process.env.GROUPCAST_LOCAL_JAR || join(root, 'local/target/groupcast-local.jar');

/** A running local gateway: its URLs, helpers for its HTTP API, and stop(). */
export async function startGateway(...options) {
  if (!existsSync(jar)) {
    throw new Error(`${jar} is missing: build it with mvn -DskipTests package`);
  }
  const child = spawn('java', ['-jar', jar, '--ws-port', '0', '--http-port', '0', ...options], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = [];
  child.stderr.on('data', () => {});
  const ready = await new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`the gateway did not start: ${output.join('')}`)), 60000);
    child.stdout.on('data', (chunk) => {
      output.push(chunk.toString());
      const match = /ready: (ws:\/\/\S+) and (http:\/\/\S+)/.exec(output.join(''));
      if (match) {
        clearTimeout(timer);
        resolveReady({ ws: match[1], http: match[2] });
      }
    });
    child.on('exit', (code) => reject(new Error(`the gateway exited (${code}): ${output.join('')}`)));
  });
  const gateway = {
    url: ready.ws,
    http: ready.http,
    async call(method, path, body) {
      const answer = await fetch(ready.http + path, {
        method,
        headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await answer.text();
      if (!answer.ok) {
        throw new Error(`${method} ${path}: ${answer.status} ${text}`);
      }
      return JSON.parse(text);
    },
    async token(user, roles = ['groupcast.joinLeaveGroup', 'groupcast.sendToGroup']) {
      const query = [`user=${encodeURIComponent(user)}`, ...roles.map((r) => `role=${encodeURIComponent(r)}`)];
      return (await gateway.call('GET', `/token?${query.join('&')}`)).token;
    },
    notify(body) {
      return gateway.call('POST', '/notify', body);
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.on('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
  return gateway;
}

const clients = new Set();

/**
 * Starts a gateway before this file's tests and stops it (and every client) after them; answers a getter, since
 * the gateway exists only once the tests run.
 */
export function useGateway(...options) {
  let gateway;
  before(async () => {
    gateway = await startGateway('--quiet', ...options);
  });
  after(async () => {
    await stopClients();
    await gateway.stop();
  });
  return () => gateway;
}

/** Stops every client the tests made, passed or failed, so that no reconnect loop keeps the test process alive. */
export async function stopClients() {
  await Promise.all([...clients].map((client) => client.stop()));
  clients.clear();
}

/** A client of this gateway for `user`, recording its events; its sockets are kept so a test can drop them. */
export function clientOf(gateway, user, options = {}) {
  const sockets = [];
  class RecordingWebSocket extends WebSocket {
    constructor(...args) {
      super(...args);
      sockets.push(this);
    }
  }
  const client = new GroupcastClient({
    url: gateway.url,
    getToken: () => gateway.token(user, options.roles),
    WebSocket: RecordingWebSocket,
    ...options,
  });
  clients.add(client);
  const events = [];
  for (const event of ['connected', 'disconnected', 'reconnecting', 'stopped', 'message', 'group-message', 'gap', 'error']) {
    client.on(event, (value, meta) => events.push({ event, value, meta, at: Date.now() }));
  }
  return { client, events, sockets, count: (event) => events.filter((e) => e.event === event).length };
}

/** Waits until `condition()` holds, polling, failing after `timeoutMs` with `what`. */
export async function until(what, condition, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting until ${what}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
