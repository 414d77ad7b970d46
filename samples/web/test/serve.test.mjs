// node serve.mjs as a user runs it: --help, --version and a bad port answer at once, without serving.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const sample = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

test('serve.mjs answers --help and --version, and refuses a port that is not one', () => {
  for (const option of ['--help', '-h']) {
    const out = execFileSync(process.execPath, ['serve.mjs', option], { cwd: sample, encoding: 'utf8', timeout: 30000 });
    assert.match(out, /^Usage: node serve\.mjs \[PORT\]\n/);
  }
  const { version } = JSON.parse(readFileSync(path.join(sample, 'package.json'), 'utf8'));
  for (const option of ['--version', '-V']) {
    const out = execFileSync(process.execPath, ['serve.mjs', option], { cwd: sample, encoding: 'utf8', timeout: 30000 });
    assert.equal(out, `serve: Sentikit ${version} (JavaScript; onnxruntime-web), Node ${process.version}\n`);
  }
  const bad = spawnSync(process.execPath, ['serve.mjs', '--frobnicate'], { cwd: sample, encoding: 'utf8', timeout: 30000 });
  assert.equal(bad.status, 2, bad.stderr);
  assert.match(bad.stderr, /^error: the port must be a number from 0 to 65535, not "--frobnicate"/);
});
