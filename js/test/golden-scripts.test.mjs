// The script check of sdk-api (golden-scripts-v1.json, written by Java's ScriptsTest): for each model profile and
// text, the script most of the text's letters are in and whether the model knows it, as Java's
// dev.sentikit.text.Scripts.check gives them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkScript } from '../src/scripts.js';

const file = fileURLToPath(new URL('../../sdk-api/src/test/resources/dev/sentikit/text/golden-scripts-v1.json',
  import.meta.url));
const golden = JSON.parse(readFileSync(file, 'utf8'));

test('the golden file has a profile of each kind and many texts', () => {
  assert.equal(golden.cases.length, 3);
  assert.ok(golden.cases.every((c) => c.texts.length > 200));
});

for (const c of golden.cases) {
  test(`the script check against ${JSON.stringify(c.profile)} is Java's`, () => {
    for (const t of c.texts) {
      const got = checkScript(t.text, c.profile);
      const codes = [...t.text].map((ch) => ch.codePointAt(0).toString(16));
      assert.deepEqual({ script: got.script, known: got.known }, { script: t.script, known: t.known },
        `text ${JSON.stringify(t.text)} (${codes.join(' ')})`);
    }
  });
}
