// The analyzer on the en zoo model: raw text in, {label, score, scores, coverage} out, equal to what Java gives for
// the texts of samples/node/test-vectors.json (written by Java's NodeTestVectors, checked by Java's
// NodeTestVectorsTest); long texts read as the model's truncation says, or in windows whose probabilities are
// averaged, each result saying how.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readMetadataProps } from '../src/core.js';
import { SentimentAnalyzer, zooModelPath } from '../src/node.js';

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
      assert.deepEqual(Object.keys(r), ['label', 'score', 'scores', 'coverage']);
      assert.equal(r.coverage.windows, 1);
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

const REVIEW = `${'The plot was slow and the acting stiff. '.repeat(40)}Still, the ending made it all worth it: a `
  + 'wonderful, moving film that I loved.';

test('a run holds at most maxBatchTokens ids, and a transformer is bounded by default', async () => {
  const words = 'the plot was slow but the ending was wonderful and I loved it'.split(' ');
  const texts = Array.from({ length: 60 }, (_, i) => words.slice(0, 1 + ((i * 7) % words.length)).join(' '));
  texts.push(REVIEW, REVIEW.slice(0, 400), '');
  const sizes = (analyzer) => {
    const runs = [];
    const run = analyzer.run.bind(analyzer);
    analyzer.run = (rows) => {
      runs.push({ rows: rows.length, ids: rows.length * Math.max(1, ...rows.map((r) => r.length)) });
      return run(rows);
    };
    return runs;
  };
  const unbounded = await SentimentAnalyzer.fromZoo('en', { maxBatchTokens: 1 << 20 });
  const bounded = await SentimentAnalyzer.fromZoo('en', { maxBatchTokens: 100 });
  const byDefault = await SentimentAnalyzer.fromZoo('en');
  const bag = await SentimentAnalyzer.fromZoo('en-lite');
  try {
    const wide = sizes(unbounded);
    const expected = await unbounded.analyzeAll(texts);
    const most = (runs) => Math.max(...runs.filter((r) => r.rows > 1).map((r) => r.ids));
    assert.ok(most(wide) > 100, `the texts must make runs of more than 100 ids unbounded: ${most(wide)}`);
    const narrow = sizes(bounded);
    const actual = await bounded.analyzeAll(texts);
    assert.ok(narrow.length > wide.length);
    assert.ok(most(narrow) <= 100, `a run of several texts held ${most(narrow)} ids`);
    assert.ok(narrow.some((r) => r.rows === 1 && r.ids > 100), 'a text longer than the bound still runs, alone');
    texts.forEach((t, i) => bounded.labels.forEach((label) => assert.ok(
      Math.abs(expected[i].scores[label] - actual[i].scores[label]) <= 1e-5, `text ${i}: ${label}`)));
    assert.equal(byDefault.maxBatchTokens, 512);
    const runs = sizes(byDefault);
    await byDefault.analyzeAll(texts.concat(Array(20).fill(REVIEW)));
    assert.ok(most(runs) <= 512, `a run held ${most(runs)} ids`);
    assert.equal(bag.maxBatchTokens, Infinity, 'a bag model\'s runs are bounded by maxBatchSize alone');
    await assert.rejects(SentimentAnalyzer.fromZoo('en', { maxBatchTokens: -1 }),
      /maxBatchTokens must be an integer >= 0 \(0 = the default\), got -1/);
  } finally {
    await Promise.all([unbounded.close(), bounded.close(), byDefault.close(), bag.close()]);
  }
});

test('a long text is cut as the model says, or read in windows whose probabilities are averaged', async () => {
  const once = await SentimentAnalyzer.fromZoo('en-lite');
  const windowed = await SentimentAnalyzer.fromZoo('en-lite', { maxWindows: 3, maxBatchSize: 2 });
  try {
    assert.equal(once.maxWindows, 1);
    const [short, cut] = await once.analyzeAll(['works great', REVIEW]);
    assert.deepEqual(short.coverage, { tokensRead: 2, tokens: 2, windows: 1, charsCut: false, cut: false, how: 'whole', script: 'Latin',
      scriptKnown: true });
    assert.deepEqual(cut.coverage, { tokensRead: 256, tokens: 379, windows: 1, charsCut: false, cut: true, how: 'cut', script: 'Latin',
      scriptKnown: true });
    const alone = await once.probabilities([once.encoder.encode(REVIEW)]);
    // within 1e-6, as a text alone and in a batch (above): ONNX Runtime may sum in another order for another batch
    const near = (a, b, what) => assert.ok(Math.abs(a - b) <= 1e-6, `${what}: ${a} against ${b}`);
    Object.values(cut.scores).forEach((p, j) => near(p, alone[j], 'a text read once: its one row\'s probabilities'));

    const [short3, read3] = await windowed.analyzeAll(['works great', REVIEW]);
    once.labels.forEach((label) => near(short3.scores[label], short.scores[label], 'a text that fits is read once either way'));
    assert.deepEqual(short3.coverage, short.coverage);
    assert.deepEqual(read3.coverage, { tokensRead: 379, tokens: 379, windows: 2, charsCut: false, cut: false,
      how: 'windows', script: 'Latin',
      scriptKnown: true });
    const { windows } = windowed.encoder.read(REVIEW, 3);
    const rows = await windowed.probabilities(windows);
    const n = windowed.labels.length;
    windowed.labels.forEach((label, j) => {
      const mean = Math.fround((rows[j] + rows[n + j]) / 2);
      near(read3.scores[label], mean, `${label}: the mean of the windows' probabilities`);
    });
    assert.equal(read3.score, Math.max(...Object.values(read3.scores)));
    const past = await windowed.analyze(`${'word '.repeat(4000)}the end`);
    assert.deepEqual(past.coverage, { tokensRead: 640, tokens: 3277, windows: 3, charsCut: true, cut: true,
      how: 'windows', script: 'Latin',
      scriptKnown: true }, 'past max_chars: the first two windows (0-256, 128-384) and the last 256 tokens of the 16384 code units read');
  } finally {
    await once.close();
    await windowed.close();
  }
  await assert.rejects(SentimentAnalyzer.fromZoo('en-lite', { maxWindows: 0 }),
    /maxWindows must be an integer >= 1 \(1 = read once, cut as the model says\), got 0/);
});

/**
 * The .onnx file with other metadata_props: every field of the ModelProto but 14 (metadata_props) as it is, then
 * the given entries.
 */
function withMetadata(bytes, props) {
  const out = [];
  let at = 0;
  const varint = () => {
    let value = 0;
    let scale = 1;
    for (;;) {
      const b = bytes[at++];
      value += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) {
        return value;
      }
    }
  };
  const writeVarint = (n, to) => {
    while (n >= 0x80) {
      to.push((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    to.push(n);
  };
  const field = (number, payload, to) => {
    writeVarint(number * 8 + 2, to);
    writeVarint(payload.length, to);
    for (const b of payload) {
      to.push(b);
    }
  };
  const chunks = [];
  while (at < bytes.length) {
    const from = at;
    const tag = varint();
    const wire = tag % 8;
    if (wire === 0) {
      varint();
    } else if (wire === 1) {
      at += 8;
    } else if (wire === 5) {
      at += 4;
    } else if (wire === 2) {
      const n = varint();
      at += n;
    } else {
      throw new Error(`wire type ${wire}`);
    }
    if (Math.floor(tag / 8) !== 14) {
      chunks.push(bytes.subarray(from, at));
    }
  }
  const utf8 = new TextEncoder();
  for (const [k, v] of props) {
    const entry = [];
    field(1, utf8.encode(k), entry);
    field(2, utf8.encode(v), entry);
    field(14, entry, out);
  }
  chunks.push(Uint8Array.from(out));
  return Buffer.concat(chunks);
}

test('a format-2 model reads the tokens its truncation keeps', async () => {
  const bytes = readFileSync(zooModelPath('en-lite'));
  const props = readMetadataProps(bytes, 'en-lite');
  const card = JSON.parse(props.get('sentikit.card'));
  const tail = { ...card, format_version: 2, encoder: { ...card.encoder, truncation: { keep: 'tail' } } };
  const file = withMetadata(bytes, new Map([...props, ['sentikit.format_version', '2'],
    ['sentikit.card', JSON.stringify(tail)]]));
  const head = await SentimentAnalyzer.load(bytes);
  const analyzer = await SentimentAnalyzer.load(file);
  try {
    assert.deepEqual(analyzer.card.encoder.truncation, { keep: 'tail' });
    const tokens = analyzer.encoder.tokenize(REVIEW);
    assert.equal(tokens.length, 256);
    assert.deepEqual(tokens.slice(-5), ['film', 'that', 'i', 'loved', '.'], 'the last 256 tokens');
    assert.deepEqual(head.encoder.tokenize(REVIEW).slice(0, 3), ['the', 'plot', 'was']);
    const r = await analyzer.analyze(REVIEW);
    assert.deepEqual(r.coverage, { tokensRead: 256, tokens: 379, windows: 1, charsCut: false, cut: true, how: 'cut', script: 'Latin',
      scriptKnown: true });
    const p = await analyzer.probabilities([analyzer.encoder.encode(REVIEW)]);
    assert.deepEqual(Object.values(r.scores), [...p]);
    assert.notDeepEqual(r.scores, (await head.analyze(REVIEW)).scores, 'the tail says otherwise than the head');
    assert.deepEqual((await analyzer.analyze('works great')).scores, (await head.analyze('works great')).scores,
      'a text that fits is read whole either way');
  } finally {
    await analyzer.close();
    await head.close();
  }
  const inconsistent = withMetadata(bytes, new Map([...props, ['sentikit.card', JSON.stringify({ ...tail, format_version: 1 })]]));
  await assert.rejects(SentimentAnalyzer.load(inconsistent), /keeps 'tail' tokens of a long text, which format 1 cannot say/);
});
