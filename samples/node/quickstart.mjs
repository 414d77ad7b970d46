// The quick start: raw text in, probabilities out, with the JavaScript package `sentikit` and a Sentikit model file.
//   node quickstart.mjs [MODEL.onnx] [TEXT...]
import { readFileSync } from 'node:fs';
import { SentimentAnalyzer } from 'sentikit';

// --help and --version, as every Sentikit program answers them.
if (['--help', '-h'].includes(process.argv[2])) {
  console.log('Usage: node quickstart.mjs [MODEL.onnx] [TEXT...]\nAnalyzes each TEXT (default: two examples) with '
    + 'the model file (default: the en zoo model) and prints one JSON result per text.');
  process.exit(0);
}
if (['--version', '-V'].includes(process.argv[2])) {
  const { version } = JSON.parse(readFileSync(new URL('package.json', import.meta.url), 'utf8'));
  console.log(`quickstart: Sentikit ${version} (JavaScript; onnxruntime-node), Node ${process.version}`);
  process.exit(0);
}

const [model = '../../model-zoo/en/src/main/resources/META-INF/sentikit/zoo/en.onnx', ...texts] = process.argv.slice(2);

const analyzer = await SentimentAnalyzer.load(model);
const results = await analyzer.analyzeAll(texts.length > 0 ? texts : ['I love this phone, it is wonderful', 'not good']);
for (const result of results) {
  // {"label":"positive","score":0.995…,"scores":{"negative":…,"neutral":…,"positive":…},"coverage":{"tokensRead":8,…}}
  console.log(JSON.stringify(result));
}
await analyzer.close();
