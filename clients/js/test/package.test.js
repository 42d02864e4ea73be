// What an app installs: `npm pack` ships exactly the modules, the declarations, the README and package.json (no
// tests, no benchmark, no tool configuration), and the entry point exports what the declarations declare.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

test('npm pack ships exactly what an app needs', { timeout: 60000 }, async () => {
  const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
  });
  const [pack] = JSON.parse(stdout);

  assert.deepEqual(pack.files.map((f) => f.path).sort(), [
    'README.md',
    'package.json',
    'src/client.js',
    'src/errors.js',
    'src/events.js',
    'src/holes.js',
    'src/index.d.ts',
    'src/index.js',
    'src/lifecycle.js',
    'src/link.js',
    'src/log.js',
    'src/platform.js',
    'src/protocol.js',
    'src/streams.js',
  ]);
});

test('package.json says how to publish and install it', async () => {
  const pkg = JSON.parse(await readFile(resolve(root, 'package.json'), 'utf8'));

  assert.equal(pkg.name, '@groupcast/client');
  assert.equal(pkg.license, 'Apache-2.0');
  assert.equal(pkg.sideEffects, false);
  assert.deepEqual(pkg.publishConfig, { access: 'public' });
  assert.equal(pkg.repository.directory, 'clients/js');
  assert.equal(pkg.engines.node, '>=20.10');
  assert.deepEqual(pkg.dependencies ?? {}, {}, 'no runtime dependency');
  assert.deepEqual(pkg.peerDependenciesMeta, { ws: { optional: true } });
  for (const [name, version] of Object.entries(pkg.devDependencies)) {
    assert.match(version, /^\d+\.\d+\.\d+$/, `${name} is pinned to an exact version`);
  }
});

test('the entry point exports what src/index.d.ts declares', async () => {
  const entry = await import('@groupcast/client');
  const declarations = await readFile(resolve(root, 'src/index.d.ts'), 'utf8');
  const declared = [...declarations.matchAll(/^export declare (?:const|class|function) (\w+)/gm)].map((m) => m[1]);

  assert.deepEqual(Object.keys(entry).sort(), declared.sort());
});
