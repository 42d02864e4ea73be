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
        // state-changing routes of the local gateway need it, as a JSON API should
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
    /** Deletes the gateway's table in its dynalite (needs a gateway started without --quiet, which names both). */
    async wipe() {
      const text = output.join('');
      const endpoint = /dynalite (http:\/\/\S+)/.exec(text)?.[1];
      const table = /, table (\S+)/.exec(text)?.[1];
      if (!endpoint || !table) {
        throw new Error(`no dynalite endpoint and table in the gateway's banner: ${text.slice(0, 2000)}`);
      }
      const answer = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-amz-json-1.0',
          'X-Amz-Target': 'DynamoDB_20120810.DeleteTable',
          'X-Amz-Date': new Date().toISOString().replace(/[-:]|\.\d+/g, ''),
          // dynalite checks that a request is signed, not the signature
          Authorization:
            'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
        },
        body: JSON.stringify({ TableName: table }),
      });
      if (!answer.ok) {
        throw new Error(`DeleteTable: ${answer.status} ${await answer.text()}`);
      }
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

/**
 * A client of this gateway for `user`, recording its events; its sockets are kept so a test can drop them, and the
 * frames each sent (`socket.sent`) and received (`socket.received`), in order, with the time. `options.getToken`
 * replaces the gateway's token; `options.url` its URL (a proxy's).
 */
export function clientOf(gateway, user, options = {}) {
  const sockets = [];
  /** Every frame of every socket, sent ('out') and received ('in'), in the order they happened. */
  const frames = [];
  class RecordingWebSocket extends WebSocket {
    constructor(...args) {
      super(...args);
      this.sent = [];
      this.received = [];
      this.index = sockets.length;
      sockets.push(this);
      this.on('message', (data) => {
        const frame = { text: String(data), at: Date.now(), socket: this.index, direction: 'in' };
        this.received.push(frame);
        frames.push(frame);
      });
    }

    send(data, ...rest) {
      const frame = { text: String(data), at: Date.now(), socket: this.index, direction: 'out' };
      this.sent.push(frame);
      frames.push(frame);
      return super.send(data, ...rest);
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
  for (const event of [
    'connected',
    'disconnected',
    'reconnecting',
    'stopped',
    'message',
    'group-message',
    'gap',
    'error',
  ]) {
    client.on(event, (value, meta) => events.push({ event, value, meta, at: Date.now() }));
  }
  return {
    client,
    events,
    sockets,
    frames,
    count: (event) => events.filter((e) => e.event === event).length,
    /** The sockets open now. */
    open: () => sockets.filter((s) => s.readyState === WebSocket.OPEN),
  };
}

/** The JSON frames a socket sent or received, parsed, optionally only those matching `where`. */
export function parsed(frames, where = () => true) {
  return frames
    .map((f) => ({ ...JSON.parse(f.text), at: f.at, socket: f.socket, direction: f.direction }))
    .filter(where);
}

/** The connection ids of a user's live connections, as the gateway lists them. */
export async function connectionsOf(gateway, user) {
  return (await gateway.call('GET', `/users/${encodeURIComponent(user)}/connections`)).connections;
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

/** The promise's outcome, or a failure naming `what` when it has none within `timeoutMs`. */
export function within(what, promise, timeoutMs = 10000) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting until ${what}`)), timeoutMs);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Lets every timer and I/O callback already due run: what a promise chain started before would have done. */
export async function settle(turns = 5) {
  for (let i = 0; i < turns; i++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}
