// The JavaScript encoder and analyzer against the Java ones, on what Java wrote (dev.sentikit.sentiment.JsParityVectors):
// for every zoo model, the same ids on every text (shared-corpus samples, odd and random texts, a sweep of every
// code point of planes 0 to 2 and more), the same coverage of a read once and the same windows of a read in at most
// 3, and probabilities within 1e-5; and NFKC and NFD of every code point as Java's.
//
// Java writes the vectors (from the repository root, after a build):
//   bin/test-vectors JsParityVectors target/js-parity
// SENTIKIT_JAVA_PARITY names another directory. Without the vectors the tests are skipped, saying so, or fail under
// SENTIKIT_REQUIRE_JAVA_PARITY=1 (as in .ci/run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SentimentAnalyzer } from '../src/node.js';
import { UNASSIGNED, classOf, normalize } from '../src/unicode.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = path.resolve(root, process.env.SENTIKIT_JAVA_PARITY ?? 'target/js-parity');
const TOLERANCE = 1e-5;
/** The bound of windows Java read each text with (JsParityVectors.WINDOWS). */
const WINDOWS = 3;
const MODELS = ['en', 'en-lite', 'zh', 'zh-lite'];
const missing = MODELS.filter((m) => !existsSync(path.join(dir, `${m}.jsonl`)));
const skip = missing.length > 0
  ? `skipped: no Java vectors for ${missing.join(', ')} in ${dir}; write them with \`bin/test-vectors JsParityVectors `
    + 'target/js-parity` from the repository root'
  : false;
if (skip) {
  if (process.env.SENTIKIT_REQUIRE_JAVA_PARITY === '1') {
    throw new Error(`SENTIKIT_REQUIRE_JAVA_PARITY is set, but ${skip}`);
  }
  console.log(`# ${skip}`);
}

/** A test whose Java input is missing: skipped, saying why, or failed where SENTIKIT_REQUIRE_JAVA_PARITY=1. */
function missingInput(t, why) {
  if (process.env.SENTIKIT_REQUIRE_JAVA_PARITY === '1') {
    assert.fail(`SENTIKIT_REQUIRE_JAVA_PARITY is set, but ${why}`);
  }
  t.skip(`skipped: ${why}`);
}

function show(text) {
  const s = JSON.stringify(text);
  return s.length <= 300 ? s : `${s.slice(0, 300)}… (${text.length} code units)`;
}

for (const name of MODELS) {
  test(`${name}: the ids and probabilities Java gives`, { skip }, async () => {
    const lines = readFileSync(path.join(dir, `${name}.jsonl`), 'utf8').split('\n').filter((l) => l.length > 0);
    const header = JSON.parse(lines[0]);
    const cases = lines.slice(1).map((l) => JSON.parse(l));
    assert.equal(cases.length, header.scored + header.unscored, 'the file is cut short');
    const bytes = readFileSync(path.join(root, header.model));
    assert.equal(createHash('sha256').update(bytes).digest('hex'), header.model_sha256,
      `${header.model} changed since the vectors were written: write them again (bin/test-vectors JsParityVectors ...)`);
    const analyzer = await SentimentAnalyzer.load(bytes, { maxBatchSize: 32 });
    try {
      assert.deepEqual(analyzer.labels, header.labels);
      const wrong = [];
      for (const c of cases) {
        const ids = analyzer.encoder.encode(c.text);
        if (ids.length !== c.ids.length || ids.some((id, i) => id !== c.ids[i])) {
          wrong.push(`${show(c.text)}: JavaScript ${JSON.stringify(ids)}, Java ${JSON.stringify(c.ids)}`);
        }
      }
      assert.equal(wrong.length, 0, `${wrong.length} of ${cases.length} texts have other ids than Java's, such as:\n`
        + wrong.slice(0, 10).join('\n'));

      // How each text is read: the coverage of a read once, and the windows of a read in at most WINDOWS.
      assert.ok(cases.every((c) => Array.isArray(c.read)), 'the vectors say nothing of how a text is read: they '
        + 'predate coverage; write them again (bin/test-vectors JsParityVectors target/js-parity)');
      const misread = [];
      let windowed = 0;
      for (const c of cases) {
        const once = analyzer.encoder.read(c.text).coverage;
        const coverage = [once.tokensRead, once.tokens, once.windows, once.charsCut];
        if (coverage.some((v, i) => v !== c.read[i])) {
          misread.push(`${show(c.text)}: JavaScript reads ${JSON.stringify(coverage)}, Java ${JSON.stringify(c.read)}`);
          continue;
        }
        const read = analyzer.encoder.read(c.text, WINDOWS);
        const java = c.windows ?? [c.ids];
        if (c.windows) {
          windowed++;
        }
        if (JSON.stringify(read.windows) !== JSON.stringify(java)
          || read.coverage.tokensRead !== (c.windows_read ?? c.read[0]) || read.coverage.tokens !== c.read[1]) {
          misread.push(`${show(c.text)}: JavaScript's ${read.windows.length} windows (${read.coverage.tokensRead} `
            + `tokens read) are not Java's ${java.length} (${c.windows_read ?? c.read[0]})`);
        }
      }
      assert.equal(misread.length, 0, `${misread.length} of ${cases.length} texts are read otherwise than in Java, such `
        + `as:\n${misread.slice(0, 10).join('\n')}`);

      const scored = cases.filter((c) => c.probabilities);
      assert.equal(scored.length, header.scored);
      const n = header.labels.length;
      const p = await analyzer.probabilities(scored.map((c) => c.ids));
      let worst = 0;
      let worstText = '';
      scored.forEach((c, i) => {
        for (let j = 0; j < n; j++) {
          const diff = Math.abs(p[i * n + j] - c.probabilities[j]);
          if (diff > worst) {
            worst = diff;
            worstText = `${show(c.text)}: ${header.labels[j]} ${p[i * n + j]} in JavaScript, ${c.probabilities[j]} in Java`;
          }
        }
      });
      assert.ok(worst <= TOLERANCE, `probabilities differ by up to ${worst}, more than ${TOLERANCE}: ${worstText}`);
      console.log(`# ${name}: ${cases.length} texts (${header.scored} with probabilities, corpora: `
        + `${header.corpora.join(', ') || 'none'}), same ids, same coverage, same windows (${windowed} texts in more `
        + `than one); probabilities within ${worst.toExponential(2)}`);
    } finally {
      await analyzer.close();
    }
  });
}

test('NFKC and NFD of every code point are Java\'s', (t) => {
  const file = path.join(dir, 'normalization.json');
  if (!existsSync(file)) {
    missingInput(t, `no ${file}; write it with \`bin/test-vectors JsParityVectors target/js-parity\``);
    return;
  }
  const java = JSON.parse(readFileSync(file, 'utf8'));
  for (const form of ['NFKC', 'NFD']) {
    const changed = new Map(java[form]);
    assert.ok(changed.size > 1000, `${form}: only ${changed.size} code points`);
    const wrong = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) {
        continue;
      }
      const s = String.fromCodePoint(cp);
      const expected = changed.get(cp) ?? s;
      const actual = normalize(s, form);
      if (actual !== expected) {
        wrong.push(`U+${cp.toString(16).toUpperCase()}${classOf(cp) === UNASSIGNED ? ' (unassigned in 13.0)' : ''}: `
          + `${JSON.stringify(actual)}, Java ${JSON.stringify(expected)}`);
      }
    }
    assert.equal(wrong.length, 0, `${form}: ${wrong.length} code points differ, such as\n${wrong.slice(0, 10).join('\n')}`);
  }
});
