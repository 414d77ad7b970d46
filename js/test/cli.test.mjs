// The `sentikit` command against `bin/sentiment` (cli's SentimentCli): the runs that Java recorded
// (dev.sentikit.sentiment.JsParityVectors, DIR/cli/cases.json) give the same exit status, the same JSON lines (fields,
// order and text the same, numbers within 1e-5) and the same report of bad input lines; and Java's UTF-8 decoder
// (DIR/utf8.json) and the JavaScript one cut bad bytes alike. Without the Java vectors those tests are skipped,
// saying so, or fail under SENTIKIT_REQUIRE_JAVA_PARITY=1 (as in .ci/run); the others need no Java.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { run } from '../src/cli.js';
import { decodeUtf8 } from '../src/utf8-lines.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = path.resolve(root, process.env.SENTIKIT_JAVA_PARITY ?? 'target/js-parity');
const TOLERANCE = 1e-5;

function sink() {
  const chunks = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  stream.text = () => Buffer.concat(chunks).toString('utf8');
  return stream;
}

/** Runs the CLI in this process: {status, stdout, stderr}. */
async function cli(args, stdinBytes = Buffer.alloc(0)) {
  const stdout = sink();
  const stderr = sink();
  const status = await run(args, { stdout, stderr, stdin: Readable.from([stdinBytes]) });
  return { status, stdout: stdout.text(), stderr: stderr.text() };
}

/** The same JSON lines: the same fields in the same order, the same strings, numbers within TOLERANCE. */
function assertSameLines(actual, expected, what) {
  const a = actual.split('\n');
  const e = expected.split('\n');
  assert.equal(a.length, e.length, `${what}: ${a.length - 1} lines, Java printed ${e.length - 1}\n${actual}`);
  const same = (x, y, where) => {
    if (typeof y === 'number') {
      assert.equal(typeof x, 'number', where);
      assert.ok(Math.abs(x - y) <= TOLERANCE, `${where}: ${x}, Java ${y}`);
    } else if (Array.isArray(y)) {
      assert.ok(Array.isArray(x) && x.length === y.length, `${where}: ${JSON.stringify(x)}, Java ${JSON.stringify(y)}`);
      y.forEach((v, i) => same(x[i], v, `${where}[${i}]`));
    } else if (y !== null && typeof y === 'object') {
      assert.deepEqual(Object.keys(x), Object.keys(y), `${where}: the fields`);
      Object.keys(y).forEach((k) => same(x[k], y[k], `${where}.${k}`));
    } else {
      assert.equal(x, y, where);
    }
  };
  e.forEach((line, i) => {
    if (line === '') {
      assert.equal(a[i], '', `${what}: line ${i + 1}`);
      return;
    }
    same(JSON.parse(a[i]), JSON.parse(line), `${what}: line ${i + 1}`);
    // The text of the line, probabilities aside, is Java's to the byte: ints (the counts of "read") as well.
    const shape = (l) => l.replace(/-?\d+\.\d+(E-?\d+)?(?=[,}\]])/g, '#');
    assert.equal(shape(a[i]), shape(line), `${what}: line ${i + 1} is written otherwise`);
  });
}

/** A test whose Java input is missing: skipped, saying why, or failed where SENTIKIT_REQUIRE_JAVA_PARITY=1. */
function missingInput(t, why) {
  if (process.env.SENTIKIT_REQUIRE_JAVA_PARITY === '1') {
    assert.fail(`SENTIKIT_REQUIRE_JAVA_PARITY is set, but ${why}`);
  }
  t.skip(`skipped: ${why}`);
}

const casesFile = path.join(dir, 'cli', 'cases.json');
const recorded = existsSync(casesFile) ? JSON.parse(readFileSync(casesFile, 'utf8')) : null;
const noJava = recorded ? false : `skipped: no ${casesFile}; write it with \`bin/test-vectors JsParityVectors target/js-parity\``;
if (noJava) {
  if (process.env.SENTIKIT_REQUIRE_JAVA_PARITY === '1') {
    throw new Error(`SENTIKIT_REQUIRE_JAVA_PARITY is set, but ${noJava}`);
  }
  console.log(`# ${noJava}`);
}

test('sentikit prints what bin/sentiment prints', { skip: noJava }, async (t) => {
  const where = path.join(dir, 'cli');
  // The recorded runs hold long texts: cut as the model says, past max_chars, and read in windows.
  const all = recorded.cases.map((c) => c.stdout).join('');
  for (const read of ['"how":"cut"', '"how":"windows"', '"chars_cut":true']) {
    assert.ok(all.includes(read), `no recorded run prints ${read}: write the vectors again with this JsParityVectors`);
  }
  for (const c of recorded.cases) {
    await t.test(c.name, async (st) => {
      if (c.utf8_input && !recorded.java_has_strict) {
        missingInput(st, 'the Java CLI that wrote these vectors predates the handling of bad bytes (--strict, '
          + 'U+FFFD); write them again with `bin/test-vectors JsParityVectors target/js-parity`');
        return;
      }
      const args = c.args.map((a) => a.replaceAll('{dir}', where));
      const r = await cli(args);
      assert.equal(r.status, c.status, `exit status of ${c.name}\n${r.stderr}`);
      assertSameLines(r.stdout, c.stdout, c.name);
      const stderr = r.stderr.replaceAll(where, '{dir}');
      if (c.status === 0 || c.utf8_input) {
        assert.equal(stderr, c.stderr, `standard error of ${c.name}`);
      } else if (c.status === 1) {
        assert.match(stderr, /^error: /);
        assert.match(c.stderr, /^error: /);
      } else {
        assert.equal(stderr.split('\n')[0], c.stderr.split('\n')[0], 'the usage error');
      }
    });
  }
});

test('bad bytes are cut as Java\'s UTF-8 decoder cuts them', (t) => {
  const file = path.join(dir, 'utf8.json');
  if (!existsSync(file)) {
    missingInput(t, `no ${file}; write it with \`bin/test-vectors JsParityVectors target/js-parity\``);
    return;
  }
  const cases = JSON.parse(readFileSync(file, 'utf8'));
  assert.ok(cases.length > 50000);
  const wrong = cases.filter(([hex, text]) => decodeUtf8(Buffer.from(hex, 'hex')) !== text);
  assert.equal(wrong.length, 0, `${wrong.length} byte strings decode otherwise, such as ${wrong.slice(0, 5)
    .map(([hex, text]) => `${hex}: ${JSON.stringify(decodeUtf8(Buffer.from(hex, 'hex')))}, Java ${JSON.stringify(text)}`)
    .join('; ')}`);
});

test('standard input gives what the file gives, and one result per line', async () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'sentikit-cli-'));
  const file = path.join(tmp, 'in.txt');
  const bytes = Buffer.concat([Buffer.from('good\r\nbad \xff movie\rthird\n\nlast'.split('').map((c) => c.charCodeAt(0)))]);
  writeFileSync(file, bytes);
  const fromFile = await cli(['--model', 'en-lite', '--input', file]);
  const fromStdin = await cli(['--model', 'en-lite', '--input', '-'], bytes);
  assert.equal(fromFile.status, 0);
  assert.equal(fromStdin.stdout, fromFile.stdout);
  assert.equal(fromStdin.stderr, fromFile.stderr.replaceAll(file, 'standard input'));
  const texts = fromFile.stdout.trim().split('\n').map((l) => JSON.parse(l).text);
  assert.deepEqual(texts, ['good', 'bad \ufffd movie', 'third', '', 'last']);
  assert.match(fromFile.stderr, /^warning: .*in\.txt: 1 line was not valid UTF-8 .*line 2 \(the bytes FF at character 5\)/);
});

test('each line says how its text was read, and --windows reads long texts in windows', async () => {
  const review = `${'The plot was slow and the acting stiff. '.repeat(40)}Still, the ending made it all worth it.`;
  const once = await cli(['--model', 'en-lite', 'works great', review]);
  assert.equal(once.status, 0, once.stderr);
  const [whole, cut] = once.stdout.trim().split('\n');
  const script = ',"script":"Latin","script_known":true';
  assert.match(whole, new RegExp(`,"read":\\{"how":"whole","tokens_read":2,"tokens":2,"windows":1,"chars_cut":false${script}\\}\\}$`));
  assert.match(cut, new RegExp(`,"read":\\{"how":"cut","tokens_read":256,"tokens":\\d+,"windows":1,"chars_cut":false${script}\\}\\}$`));
  const windows = await cli(['--model', 'en-lite', '--windows=8', review]);
  const read = JSON.parse(windows.stdout).read;
  assert.equal(read.how, 'windows');
  assert.equal(read.tokens_read, read.tokens, 'eight windows read it all');
  const notInt = await cli(['--windows', '2.5', 'text']);
  assert.equal(notInt.status, 2);
  assert.match(notInt.stderr, /^Invalid value for option '--windows': '2.5' is not an int/);
  const zero = await cli(['--model', 'en-lite', '--windows', '0', 'text']);
  assert.equal(zero.status, 1);
  assert.match(zero.stderr, /^error: maxWindows must be >= 1 \(1 = read once, cut as the model says\), got 0/);
});

test('usage mistakes give status 2, failures status 1, naming the problem', async () => {
  assert.equal((await cli([])).status, 2);
  const strict = await cli(['--strict', 'text']);
  assert.equal(strict.status, 2);
  assert.match(strict.stderr, /^--strict applies to --input/);
  const unknown = await cli(['--frobnicate']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /^Unknown option: '--frobnicate'/);
  const device = await cli(['--device', 'cuda:0', 'text']);
  assert.equal(device.status, 1);
  assert.match(device.stderr, /^error: --device cuda:0: the JavaScript CLI runs models on the CPU/);
  const zoo = await cli(['--model', 'fr', 'text']);
  assert.match(zoo.stderr, /^error: no zoo model 'fr'/);
  assert.match((await cli(['--version'])).stdout, /^sentikit \d+\.\d+\.\d+/);
});
