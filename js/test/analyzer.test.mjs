// The analyzer on the en zoo model: raw text in, {label, score, scores} out, equal to what Java gives for the texts of
// samples/node/test-vectors.json (written by Java's NodeTestVectors, checked by Java's NodeTestVectorsTest).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SentimentAnalyzer } from '../src/node.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const vectors = JSON.parse(readFileSync(`${root}samples/node/test-vectors.json`, 'utf8'));

test('the texts of the Node test vectors give Java\'s ids and probabilities', async () => {
  const analyzer = await SentimentAnalyzer.load(`${root}${vectors.model}`);
  try {
    assert.deepEqual(analyzer.labels, vectors.labels);
    const results = await analyzer.analyzeAll(vectors.cases.map((c) => c.text));
    vectors.cases.forEach((c, i) => {
      assert.deepEqual(analyzer.encoder.encode(c.text), c.ids, `ids of ${JSON.stringify(c.text)}`);
      const r = results[i];
      assert.deepEqual(Object.keys(r), ['label', 'score', 'scores']);
      assert.deepEqual(Object.keys(r.scores), vectors.labels, 'scores in the model\'s label order');
      vectors.labels.forEach((label, j) => {
        assert.ok(Math.abs(r.scores[label] - c.probabilities[j]) <= vectors.tolerance,
          `${JSON.stringify(c.text)}: ${label} ${r.scores[label]}, Java ${c.probabilities[j]}`);
      });
      const best = c.probabilities.indexOf(Math.max(...c.probabilities));
      assert.equal(r.label, vectors.labels[best]);
      assert.equal(r.score, r.scores[r.label]);
    });
  } finally {
    await analyzer.close();
  }
});

test('a text alone and in a batch of others gets the same result', async () => {
  const analyzer = await SentimentAnalyzer.fromZoo('en-lite', { maxBatchSize: 3 });
  try {
    const texts = ['not good', '', 'I love this phone, it is wonderful', 'meh', 'good bad '.repeat(100), 'great'];
    const batch = await analyzer.analyzeAll(texts);
    for (let i = 0; i < texts.length; i++) {
      const alone = await analyzer.analyze(texts[i]);
      assert.equal(alone.label, batch[i].label);
      for (const label of analyzer.labels) {
        assert.ok(Math.abs(alone.scores[label] - batch[i].scores[label]) <= 1e-6, `${texts[i]}: ${label}`);
      }
    }
    assert.deepEqual(await analyzer.analyzeAll([]), []);
  } finally {
    await analyzer.close();
  }
});

test('misuse is refused with a plain sentence', async () => {
  const analyzer = await SentimentAnalyzer.fromZoo('en-lite');
  await assert.rejects(analyzer.analyzeAll(['ok', null]), /texts\[1\] is null; every text must be a string/);
  await assert.rejects(analyzer.analyzeAll('ok'), /texts must be an array of strings/);
  await analyzer.close();
  await analyzer.close(); // twice is fine
  await assert.rejects(analyzer.analyze('ok'), /this analyzer of .*en-lite.onnx is closed/);
});
