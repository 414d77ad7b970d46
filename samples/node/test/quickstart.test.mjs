// The quick start gives Java's results: for the texts of ../test-vectors.json (written by Java's NodeTestVectors from
// the Java encoder and SDK, and checked by NodeTestVectorsTest), the sentikit package turns each raw text into the
// ids Java's encoder gives and the probabilities Java's SDK gives, within the file's tolerance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SentimentAnalyzer } from 'sentikit';

const here = path.dirname(fileURLToPath(import.meta.url));
const sample = path.join(here, '..');
const root = path.resolve(sample, '..', '..');
const vectors = JSON.parse(readFileSync(path.join(sample, 'test-vectors.json'), 'utf8'));
const modelFile = path.join(root, vectors.model);

function assertJavas(result, c) {
  assert.deepEqual(Object.keys(result.scores), vectors.labels, 'scores in the model\'s label order');
  vectors.labels.forEach((label, j) => {
    const diff = Math.abs(result.scores[label] - c.probabilities[j]);
    assert.ok(diff <= vectors.tolerance,
      `${JSON.stringify(c.text)}: ${label} ${result.scores[label]}, Java gives ${c.probabilities[j]} (difference ${diff})`);
  });
  assert.equal(result.label, vectors.labels[c.probabilities.indexOf(Math.max(...c.probabilities))]);
  assert.equal(result.score, result.scores[result.label]);
}

test('the model file is the one the vectors were written for', () => {
  const sha256 = createHash('sha256').update(readFileSync(modelFile)).digest('hex');
  assert.equal(sha256, vectors.model_sha256,
    `${vectors.model} changed since test-vectors.json was written: run bin/test-vectors NodeTestVectors samples/node/test-vectors.json`);
});

test('raw text gives Java\'s ids and probabilities, one at a time and all together', async () => {
  const analyzer = await SentimentAnalyzer.load(modelFile);
  try {
    assert.deepEqual(analyzer.labels, vectors.labels);
    for (const c of vectors.cases) {
      assert.deepEqual(analyzer.encoder.encode(c.text), c.ids, `the ids of ${JSON.stringify(c.text)}`);
      assertJavas(await analyzer.analyze(c.text), c);
    }
    const all = await analyzer.analyzeAll(vectors.cases.map((c) => c.text));
    vectors.cases.forEach((c, i) => assertJavas(all[i], c));
  } finally {
    await analyzer.close();
  }
});

test('quickstart.mjs prints one result per text', () => {
  const texts = vectors.cases.slice(0, 3);
  const out = execFileSync(process.execPath, ['quickstart.mjs', modelFile, ...texts.map((c) => c.text)],
    { cwd: sample, encoding: 'utf8' });
  const lines = out.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, texts.length);
  lines.forEach((r, i) => assertJavas(r, texts[i]));
  lines.forEach((r) => assert.equal(r.coverage.how, 'whole', 'each result says how its text was read'));
});

test('quickstart.mjs answers --help and --version without loading a model', () => {
  for (const option of ['--help', '-h']) {
    const out = execFileSync(process.execPath, ['quickstart.mjs', option], { cwd: sample, encoding: 'utf8' });
    assert.match(out, /^Usage: node quickstart\.mjs \[MODEL\.onnx\] \[TEXT\.\.\.\]\n/);
  }
  const { version } = JSON.parse(readFileSync(path.join(sample, 'package.json'), 'utf8'));
  for (const option of ['--version', '-V']) {
    const out = execFileSync(process.execPath, ['quickstart.mjs', option], { cwd: sample, encoding: 'utf8' });
    assert.equal(out, `quickstart: Sentikit ${version} (JavaScript; onnxruntime-node), Node ${process.version}\n`);
  }
});

test('the results shown in README.md and quickstart.mjs are Java\'s', () => {
  // {label: 'positive', score: 0.995…, scores: {negative: 0.000153…, neutral: 0.00438…, positive: 0.995…}, coverage: …}
  const c = vectors.cases.find((x) => x.text === 'I love this phone, it is wonderful');
  const shown = (p) => {
    const digits = p.toFixed(20).replace(/^0\.(0*)(\d{3}).*/, '0.$1$2');
    return `${digits}…`;
  };
  const [negative, neutral, positive] = c.probabilities.map(shown);
  const readme = readFileSync(path.join(sample, 'README.md'), 'utf8');
  assert.ok(readme.includes(`// {label: 'positive', score: ${positive}, scores: {negative: ${negative}, neutral: `
    + `${neutral}, positive: ${positive}},`), `README.md should show ${negative}, ${neutral}, ${positive}`);
  const quickstart = readFileSync(path.join(sample, 'quickstart.mjs'), 'utf8');
  assert.ok(quickstart.includes(`// {"label":"positive","score":${positive},"scores"`), 'quickstart.mjs shows '
    + positive);
});
