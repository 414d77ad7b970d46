// VADER baseline: node vader-baseline.js TEST.tsv
// Labels each row of a label<TAB>text file with VADER's compound score (>= 0.05 positive, <= -0.05 negative,
// neutral between) and prints accuracy and macro-F1 over the labels present in the file.
'use strict';
const fs = require('fs');
const vader = require('vader-sentiment');

const rows = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l.length > 0)
  .map((l) => { const i = l.indexOf('\t'); return [l.slice(0, i), l.slice(i + 1)]; });
const predict = (text) => {
  const c = vader.SentimentIntensityAnalyzer.polarity_scores(text).compound;
  return c >= 0.05 ? 'positive' : c <= -0.05 ? 'negative' : 'neutral';
};
const gold = rows.map((r) => r[0]);
const pred = rows.map((r) => predict(r[1]));
const labels = [...new Set(gold)].sort();
let f1sum = 0;
for (const c of labels) {
  let tp = 0, fp = 0, fn = 0;
  for (let i = 0; i < gold.length; i++) {
    if (pred[i] === c && gold[i] === c) tp++;
    else if (pred[i] === c) fp++;
    else if (gold[i] === c) fn++;
  }
  const p = tp + fp ? tp / (tp + fp) : 0;
  const r = tp + fn ? tp / (tp + fn) : 0;
  f1sum += p + r ? (2 * p * r) / (p + r) : 0;
}
const accuracy = gold.filter((g, i) => g === pred[i]).length / gold.length;
console.log(`examples ${gold.length}  accuracy ${accuracy.toFixed(4)}  macro-F1 ${(f1sum / labels.length).toFixed(4)}`);
