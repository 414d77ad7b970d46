// The golden vectors of long texts of sdk-api (golden-long-v1.json, docs/model-format.md §4.8 and §8.7), which hold
// every implementation to the Java reference for both schemes and every truncation: for every case, the tokens and
// ids of a read once (tokenize, encode), its coverage, and the windows and coverage of a read in at most 2, 3 and
// 1000 windows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createEncoder } from '../src/core.js';

const file = fileURLToPath(new URL('../../sdk-api/src/test/resources/dev/sentikit/text/golden-long-v1.json',
  import.meta.url));
const golden = JSON.parse(readFileSync(file, 'utf8'));

/** A coverage as the golden file writes it. */
function written(c) {
  return { tokens_read: c.tokensRead, tokens: c.tokens, windows: c.windows, chars_cut: c.charsCut };
}

test('the golden file covers both schemes, every truncation and the window bounds', () => {
  assert.deepEqual(golden.max_windows, [2, 3, 1000]);
  const keeps = new Set(golden.suites.map((s) => `${s.encoder.scheme} ${s.encoder.truncation?.keep ?? 'head'}`));
  for (const scheme of ['sentikit-words-v1', 'sentikit-wordpiece-v1']) {
    for (const keep of ['head', 'tail', 'head+tail']) {
      assert.ok(keeps.has(`${scheme} ${keep}`), `no suite of ${scheme} with ${keep}`);
    }
  }
});

for (const suite of golden.suites) {
  test(`golden-long-v1.json: suite ${suite.name}`, () => {
    const encoder = createEncoder(suite.encoder, suite.vocabulary);
    assert.ok(suite.cases.length > 0, 'a suite without cases');
    let cut = 0;
    for (const c of suite.cases) {
      const what = JSON.stringify(c.text);
      assert.deepEqual(encoder.tokenize(c.text), c.tokens, `tokens of ${what}`);
      assert.deepEqual(encoder.encode(c.text), c.ids, `ids of ${what}`);
      const once = encoder.read(c.text);
      assert.deepEqual(once.windows, [c.ids], `a read once gives the ids of encode: ${what}`);
      assert.deepEqual(written(once.coverage), c.coverage, `coverage of ${what}`);
      for (const bound of golden.max_windows) {
        const read = encoder.read(c.text, bound);
        const expected = c.windows[String(bound)];
        assert.deepEqual(read.windows, expected.ids, `the windows of ${what}, at most ${bound}`);
        assert.deepEqual(written(read.coverage), expected.coverage, `coverage of ${what} in at most ${bound} windows`);
      }
      if (once.coverage.cut) {
        cut++;
      }
    }
    assert.ok(cut > 0, 'no case of this suite is cut');
  });
}

test('a coverage says how its text was read', () => {
  const suite = golden.suites.find((s) => s.name === 'words head');
  const encoder = createEncoder(suite.encoder, suite.vocabulary);
  assert.deepEqual(encoder.read('good movie').coverage,
    { tokensRead: 2, tokens: 2, windows: 1, charsCut: false, cut: false, how: 'whole',
      script: null, scriptKnown: true });
  assert.deepEqual(encoder.read('one two three four five six seven').coverage,
    { tokensRead: 6, tokens: 7, windows: 1, charsCut: false, cut: true, how: 'cut',
      script: null, scriptKnown: true });
  assert.deepEqual(encoder.read('one two three four five six seven', 3).coverage,
    { tokensRead: 7, tokens: 7, windows: 2, charsCut: false, cut: false, how: 'windows',
      script: null, scriptKnown: true });
  assert.equal(encoder.read('w'.repeat(64)).coverage.charsCut, false, 'max_chars 64: all of it is read');
  assert.deepEqual(encoder.read('w'.repeat(65)).coverage,
    { tokensRead: 1, tokens: 1, windows: 1, charsCut: true, cut: true, how: 'cut',
      script: null, scriptKnown: true }, 'one code unit more');
  assert.throws(() => encoder.read('text', 0), /maxWindows must be an integer >= 1 \(1 = read once, cut as the model says\), got 0/);
  assert.throws(() => encoder.read('text', 1.5), /maxWindows must be an integer >= 1/);
});

test('§4.8\'s worked example: tail, head+tail and windows of a words encoder', () => {
  const vocabulary = ['one', 'two', 'three', 'four', 'five', 'six'];
  const spec = (truncation) => ({
    scheme: 'sentikit-words-v1', lowercase: true, bigrams: true, max_tokens: 4, max_chars: 256, hash_buckets: 10,
    ...(truncation ? { truncation } : {}),
  });
  const text = 'one two three four five six';
  const id = (t) => vocabulary.indexOf(t) + 1;
  assert.deepEqual(createEncoder(spec(), vocabulary).tokenize(text), ['one', 'two', 'three', 'four']);
  assert.deepEqual(createEncoder(spec({ keep: 'tail' }), vocabulary).tokenize(text), ['three', 'four', 'five', 'six']);
  const headTail = createEncoder(spec({ keep: 'head+tail', head_tokens: 1 }), vocabulary);
  assert.deepEqual(headTail.tokenize(text), ['one', 'four', 'five', 'six']);
  const ids = headTail.encode(text);
  assert.deepEqual(ids.slice(0, 4), ['one', 'four', 'five', 'six'].map(id));
  assert.deepEqual(ids.slice(4), [headTail.id('four five'), headTail.id('five six')], 'no bigram across the gap');
  const read = createEncoder(spec(), vocabulary).read(text, 10);
  assert.equal(read.windows.length, 2);
  assert.deepEqual(read.windows.map((w) => w.slice(0, 4)), [['one', 'two', 'three', 'four'].map(id),
    ['three', 'four', 'five', 'six'].map(id)]);
  assert.equal(read.coverage.tokensRead, 6);
});
