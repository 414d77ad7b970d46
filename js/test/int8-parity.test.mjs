// The int8 files (trainer export --quantize int8: int8 weights, each token's activations quantized to uint8) in
// onnxruntime-node against Java, on what Java wrote (dev.sentikit.bench.Int8ParityVectors): for the zoo transformers
// rebuilt as int8 files, the same ids, the probabilities Java's SDK gives with the same int8 file within 1e-5 (the
// same integer arithmetic; only float rounding differs), and the float32 file's within the exporter's int8
// tolerances (0.25 on a text, 0.03 on average), one text at a time and in batches.
//
// Java writes the files and vectors (from the repository root, after a build):
//   java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
//     dev.sentikit.bench.Int8ParityVectors target/js-parity/int8
// SENTIKIT_JAVA_PARITY names another directory (int8/ inside it). Without them the test is skipped, saying so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SentimentAnalyzer } from '../src/node.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = path.resolve(root, process.env.SENTIKIT_JAVA_PARITY ?? 'target/js-parity', 'int8');
/** Java and JavaScript run the same int8 graph with the same ONNX Runtime version. */
const TOLERANCE = 1e-5;
/** The exporter's tolerances of an int8 file against its float32 export (OnnxExporter.INT8_TOLERANCE, ...MEAN...). */
const INT8_TOLERANCE = 0.25;
const INT8_MEAN_TOLERANCE = 0.03;
const MODELS = ['en', 'zh'];
const missing = MODELS.filter((m) => !existsSync(path.join(dir, `${m}.jsonl`)));
const skip = missing.length > 0
  ? `skipped: no Java int8 vectors for ${missing.join(', ')} in ${dir}; write them with \`java -cp `
    + '"benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" dev.sentikit.bench.Int8ParityVectors '
    + 'target/js-parity/int8` from the repository root'
  : false;
if (skip) {
  if (process.env.SENTIKIT_REQUIRE_JAVA_PARITY === '1') {
    throw new Error(`SENTIKIT_REQUIRE_JAVA_PARITY is set, but ${skip}`);
  }
  console.log(`# ${skip}`);
}

for (const name of MODELS) {
  test(`${name}, int8: Java's probabilities, and float32's within the int8 tolerance`, { skip }, async () => {
    const lines = readFileSync(path.join(dir, `${name}.jsonl`), 'utf8').split('\n').filter((l) => l.length > 0);
    const header = JSON.parse(lines[0]);
    const cases = lines.slice(1).map((l) => JSON.parse(l));
    assert.equal(cases.length, header.texts, 'the file is cut short');
    const bytes = readFileSync(path.resolve(root, header.model));
    assert.equal(createHash('sha256').update(bytes).digest('hex'), header.model_sha256,
      `${header.model} changed since the vectors were written: write them again`);
    const analyzer = await SentimentAnalyzer.load(bytes, { maxBatchSize: 32 });
    try {
      assert.deepEqual(analyzer.labels, header.labels);
      const n = header.labels.length;
      for (const c of cases) {
        assert.deepEqual(analyzer.encoder.encode(c.text), c.ids, `the ids of ${JSON.stringify(c.text.slice(0, 80))}`);
      }
      const batched = await analyzer.probabilities(cases.map((c) => c.ids));
      let worst = 0;
      let worstFloat = 0;
      let sumFloat = 0;
      for (let i = 0; i < cases.length; i++) {
        const alone = await analyzer.probabilities([cases[i].ids]);
        let text = 0;
        for (let j = 0; j < n; j++) {
          const p = batched[i * n + j];
          worst = Math.max(worst, Math.abs(p - cases[i].probabilities[j]), Math.abs(alone[j] - p));
          text = Math.max(text, Math.abs(p - cases[i].float32[j]));
        }
        worstFloat = Math.max(worstFloat, text);
        sumFloat += text;
      }
      const meanFloat = sumFloat / cases.length;
      assert.ok(worst <= TOLERANCE, `int8 probabilities differ from Java's (or alone from batched) by ${worst}`);
      assert.ok(worstFloat <= INT8_TOLERANCE, `int8 moved a probability by ${worstFloat} from float32`);
      assert.ok(meanFloat <= INT8_MEAN_TOLERANCE, `int8 moved probabilities by ${meanFloat} on average`);
      console.log(`# ${name} int8: ${cases.length} texts, Java's probabilities within ${worst.toExponential(2)}; `
        + `against float32: largest ${worstFloat.toFixed(4)}, mean ${meanFloat.toFixed(4)}`);
    } finally {
      await analyzer.close();
    }
  });
}
