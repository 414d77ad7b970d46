// Runs a Sentikit model file with ONNX Runtime for Node on the ids that the Java encoder wrote to
// ../test-vectors.json, and checks that the probabilities are Java's within the file's tolerance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import ort from 'onnxruntime-node';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..', '..');
const vectors = JSON.parse(readFileSync(path.join(here, '..', 'test-vectors.json'), 'utf8'));
const modelFile = path.join(root, vectors.model);

/** The inputs Sentikit feeds a model file (docs/model-format.md): input_ids, and the other two when declared. */
const SUPPORTED_INPUTS = ['input_ids', 'attention_mask', 'token_type_ids'];

/**
 * One padded int64 batch, as the Java runtime builds it: each row the text's ids, then 0 (padding); for a
 * transformer also attention_mask (1 where the id is not 0) and token_type_ids (all 0), when the graph declares them.
 */
function feeds(session, rows) {
  const width = Math.max(1, ...rows.map((r) => r.length));
  const shape = [rows.length, width];
  const ids = new BigInt64Array(rows.length * width);
  rows.forEach((row, r) => row.forEach((id, c) => { ids[r * width + c] = BigInt(id); }));
  const out = { input_ids: new ort.Tensor('int64', ids, shape) };
  if (session.inputNames.includes('attention_mask')) {
    out.attention_mask = new ort.Tensor('int64', ids.map((id) => (id !== 0n ? 1n : 0n)), shape);
  }
  if (session.inputNames.includes('token_type_ids')) {
    out.token_type_ids = new ort.Tensor('int64', new BigInt64Array(ids.length), shape);
  }
  return out;
}

function assertClose(actual, expected, tolerance, what) {
  assert.equal(actual.length, expected.length, `${what}: ${actual.length} probabilities, expected ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    assert.ok(diff <= tolerance,
      `${what}: probability of ${vectors.labels[i]} is ${actual[i]}, Java gives ${expected[i]} (difference ${diff})`);
  }
}

const modelBytes = readFileSync(modelFile);

test('the model file is the one the vectors were written for', () => {
  const sha256 = createHash('sha256').update(modelBytes).digest('hex');
  assert.equal(sha256, vectors.model_sha256,
    `${vectors.model} changed since test-vectors.json was written: run bin/sample NodeTestVectors samples/node/test-vectors.json`);
});

test('the graph has the format\'s input and outputs', async () => {
  const session = await ort.InferenceSession.create(modelBytes);
  assert.equal(session.inputNames[0], 'input_ids', `inputs: ${session.inputNames}`);
  for (const name of session.inputNames) {
    assert.ok(SUPPORTED_INPUTS.includes(name), `input ${name} is not one Sentikit feeds: ${SUPPORTED_INPUTS}`);
  }
  assert.ok(session.outputNames.includes('probabilities'), `outputs: ${session.outputNames}`);
});

test('one text at a time, Node gives Java\'s probabilities', async () => {
  const session = await ort.InferenceSession.create(modelBytes);
  for (const c of vectors.cases) {
    const { probabilities } = await session.run(feeds(session, [c.ids]));
    assert.deepEqual(probabilities.dims, [1, vectors.labels.length]);
    assertClose(Array.from(probabilities.data), c.probabilities, vectors.tolerance, JSON.stringify(c.text));
  }
});

test('in one padded batch, Node gives Java\'s probabilities', async () => {
  const session = await ort.InferenceSession.create(modelBytes);
  const n = vectors.labels.length;
  const { probabilities } = await session.run(feeds(session, vectors.cases.map((c) => c.ids)));
  assert.deepEqual(probabilities.dims, [vectors.cases.length, n]);
  vectors.cases.forEach((c, r) => {
    assertClose(Array.from(probabilities.data.slice(r * n, (r + 1) * n)), c.probabilities, vectors.tolerance,
      `batch row ${r} ${JSON.stringify(c.text)}`);
  });
});
