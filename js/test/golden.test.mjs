// The golden vectors of sdk-api (docs/model-format.md §6 and §8.12), which hold every implementation of the two
// encoder schemes to the Java reference: for every case, the tokens and the ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createEncoder } from '../src/core.js';

const dir = fileURLToPath(new URL('../../sdk-api/src/test/resources/dev/sentikit/text/', import.meta.url));

for (const [file, scheme] of [['golden-v1.json', 'sentikit-words-v1'], ['golden-wordpiece-v1.json', 'sentikit-wordpiece-v1']]) {
  const golden = JSON.parse(readFileSync(dir + file, 'utf8'));
  for (const suite of golden.suites) {
    test(`${file}: suite ${suite.name}`, () => {
      assert.equal(suite.encoder.scheme, scheme);
      const encoder = createEncoder(suite.encoder, golden.vocabulary);
      assert.ok(suite.cases.length > 0, 'a suite without cases');
      for (const c of suite.cases) {
        assert.deepEqual(encoder.tokenize(c.text), c.tokens, `tokens of ${c.name}: ${JSON.stringify(c.text)}`);
        assert.deepEqual(encoder.encode(c.text), c.ids, `ids of ${c.name}: ${JSON.stringify(c.text)}`);
      }
    });
  }
}
