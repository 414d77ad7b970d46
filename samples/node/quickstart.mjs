// The quick start: raw text in, probabilities out, with the JavaScript package `sentikit` and a Sentikit model file.
//   node quickstart.mjs [MODEL.onnx] [TEXT...]
import { SentimentAnalyzer } from 'sentikit';

const [model = '../../model-zoo/en/src/main/resources/META-INF/sentikit/zoo/en.onnx', ...texts] = process.argv.slice(2);

const analyzer = await SentimentAnalyzer.load(model);
const results = await analyzer.analyzeAll(texts.length > 0 ? texts : ['I love this phone, it is wonderful', 'not good']);
for (const result of results) {
  // {"label":"positive","score":0.996…,"scores":{"negative":…,"neutral":…,"positive":…},"coverage":{"tokensRead":8,…}}
  console.log(JSON.stringify(result));
}
await analyzer.close();
