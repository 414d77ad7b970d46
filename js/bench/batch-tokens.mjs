// How many ids one run should hold in Node (docs/benchmarks.md, Zoo transformers): the same model and texts through
// two analyzers, the default bound (maxBatchTokens 0: 512 ids a run for a transformer) and runs of up to 64 texts
// (maxBatchTokens 2^20: the package before the bound), one intra-op thread, 5 interleaved rounds after one to warm
// up, median texts/s of analyzeAll over the whole sample.
//
//   node js/bench/batch-tokens.mjs TEXTS.tsv MODEL.onnx COUNT [long]
//
// TEXTS.tsv holds label<TAB>text lines; COUNT texts are drawn with a fixed seed; `long` keeps those longer than 100
// characters.
import { readFileSync } from 'node:fs';
import { SentimentAnalyzer } from '../src/node.js';

const [file, model, count, long] = process.argv.slice(2);
if (!file || !model || !Number.isInteger(Number(count)) || (long !== undefined && long !== 'long')) {
  console.error('usage: node js/bench/batch-tokens.mjs TEXTS.tsv MODEL.onnx COUNT [long]');
  process.exit(2);
}
const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('\t'));
let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const texts = [];
while (texts.length < Number(count)) {
  const text = lines[Math.floor(random() * lines.length)].split('\t').slice(1).join('\t');
  if (!long || text.length > 100) {
    texts.push(text);
  }
}
const variants = [['default (512 ids a run)', 0], ['up to 64 texts a run', 1 << 20]];
const analyzers = await Promise.all(variants.map(([, maxBatchTokens]) => SentimentAnalyzer.load(model,
  { maxBatchTokens, sessionOptions: { intraOpNumThreads: 1 } })));
const rates = variants.map(() => []);
for (let round = -1; round < 5; round++) {
  for (let v = 0; v < variants.length; v++) {
    const start = process.hrtime.bigint();
    await analyzers[v].analyzeAll(texts);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (round >= 0) {
      rates[v].push(texts.length / seconds);
    }
  }
}
variants.forEach(([name], v) => {
  const r = rates[v].sort((a, b) => a - b);
  const what = `${texts.length} texts of ${file.split('/').pop()}${long ? ' > 100 chars' : ''}`;
  const spread = `${r[0].toFixed(1)}..${r[4].toFixed(1)}`;
  console.log(`${model.split('/').pop()}, ${what}, ${name}: ${r[2].toFixed(1)} texts/s (median of 5, ${spread})`);
});
await Promise.all(analyzers.map((a) => a.close()));
