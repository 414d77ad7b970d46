// The page in a real browser: headless Chromium (the system's, driven by puppeteer-core) loads dist/ from a static
// file server, loads zoo models with onnxruntime-web, analyzes texts typed into it, and shows probabilities that
// are Java's within 1e-4: for the en model those of ../node/test-vectors.json (written by Java's NodeTestVectors),
// for the others those Java wrote to target/js-parity (bin/test-vectors JsParityVectors target/js-parity). A screenshot
// goes to dist/page.png, or to SENTIKIT_SCREENSHOT. Without Chromium the test is skipped, saying so
// (SENTIKIT_REQUIRE_CHROMIUM=1 makes that an error); so is a model whose probabilities Java has not written
// (SENTIKIT_REQUIRE_JAVA_PARITY=1 makes that an error). .ci/run sets both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { serve } from '../serve.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const sample = path.join(here, '..');
const root = path.resolve(sample, '..', '..');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
/** Shown to four decimals (a percentage with two), from float32 probabilities: Java's within this. */
const TOLERANCE = 1e-4;
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let skip = false;
if (!existsSync(CHROMIUM)) {
  skip = `skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)`;
  if (process.env.SENTIKIT_REQUIRE_CHROMIUM === '1') {
    throw new Error(`SENTIKIT_REQUIRE_CHROMIUM is set, but ${skip}`);
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

/** Java's texts and probabilities for a zoo model, or null when Java has not written them here. */
function javas(model) {
  if (model === 'en') {
    const v = JSON.parse(readFileSync(path.join(root, 'samples', 'node', 'test-vectors.json'), 'utf8'));
    return { labels: v.labels, cases: v.cases.map((c) => ({ text: c.text, probabilities: c.probabilities })) };
  }
  const file = path.resolve(root, process.env.SENTIKIT_JAVA_PARITY ?? 'target/js-parity', `${model}.jsonl`);
  if (!existsSync(file)) {
    return null;
  }
  const lines = readFileSync(file, 'utf8').split('\n');
  const header = JSON.parse(lines[0]);
  const cases = lines.slice(1, 41).map((l) => JSON.parse(l))
    .filter((c) => c.probabilities && !/[\r\n\u2028\u2029]/.test(c.text) && c.text.length < 2000);
  return { labels: header.labels, cases };
}

async function loadModel(page, model) {
  if (await page.$eval('body', (b) => b.dataset.model) !== model) {
    await page.select('#model', model);
  }
  await page.waitForFunction((m) => document.body.dataset.model === m && !document.getElementById('analyze').disabled
    || document.getElementById('status').className === 'error', { timeout: 180000 }, model);
  const status = await page.$eval('#status', (e) => ({ text: e.textContent, error: e.className === 'error' }));
  assert.ok(!status.error, status.text);
}

async function analyze(page, texts) {
  const before = Number(await page.$eval('body', (b) => b.dataset.analyzed ?? 0));
  await page.$eval('#texts', (t, value) => { t.value = value; }, texts.join('\n'));
  await page.click('#analyze');
  await page.waitForFunction((n) => Number(document.body.dataset.analyzed ?? 0) > n, { timeout: 180000 }, before);
  return page.$$eval('article.result', (articles) => articles.map((a) => ({
    text: a.querySelector('p.text').textContent,
    label: a.dataset.label,
    shownLabel: a.querySelector('span.label').textContent,
    bars: [...a.querySelectorAll('.bar-row')].map((r) => ({
      label: r.dataset.label,
      shown: r.querySelector('.value').textContent,
      width: r.querySelector('.fill').style.width,
    })),
  })));
}

test('the page shows Java\'s probabilities for the zoo models, in headless Chromium', { skip, timeout: 600000 }, async (t) => {
  const server = await serve(path.join(sample, 'dist'));
  const profile = mkdtempSync(path.join(tmpdir(), 'sentikit-chromium-'));
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS, userDataDir: profile });
  const problems = [];
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1000, height: 900 });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') {
        problems.push(`console: ${m.text()}`);
      }
    });
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    page.on('request', (r) => {
      if (!r.url().startsWith(`http://127.0.0.1:${server.address().port}/`) && !r.url().startsWith('data:')) {
        problems.push(`a request beyond the page's server: ${r.url()}`);
      }
    });
    await page.goto(`http://127.0.0.1:${server.address().port}/?model=en`);

    for (const model of ['en', 'en-lite', 'zh-lite', 'zh']) {
      await t.test(model, async (st) => {
        const java = javas(model);
        if (java === null) {
          missingInput(st, `Java's probabilities for ${model} are not here (bin/test-vectors JsParityVectors `
            + 'target/js-parity)');
          return;
        }
        await loadModel(page, model);
        const shown = await analyze(page, java.cases.map((c) => c.text));
        assert.equal(shown.length, java.cases.length, 'one result per line');
        java.cases.forEach((c, i) => {
          const s = shown[i];
          const best = java.labels[c.probabilities.indexOf(Math.max(...c.probabilities))];
          assert.equal(s.label, best, `the label of ${JSON.stringify(c.text)}`);
          assert.equal(s.shownLabel, best);
          assert.deepEqual(s.bars.map((b) => b.label), java.labels, 'a bar per label, in the model\'s order');
          s.bars.forEach((b, j) => {
            const p = Number.parseFloat(b.shown) / 100;
            assert.match(b.shown, /^\d+\.\d\d %$/);
            assert.ok(Math.abs(p - c.probabilities[j]) <= TOLERANCE,
              `${model}, ${JSON.stringify(c.text)}: ${b.label} shown as ${b.shown}, Java gives ${c.probabilities[j]}`);
            assert.ok(Math.abs(Number.parseFloat(b.width) / 100 - c.probabilities[j]) <= TOLERANCE, `the bar of ${b.label}`);
          });
        });
      });
    }

    await t.test('a person types texts and presses Ctrl+Enter', async () => {
      await loadModel(page, 'en');
      const before = Number(await page.$eval('body', (b) => b.dataset.analyzed ?? 0));
      await page.$eval('#texts', (e) => { e.value = ''; });
      await page.type('#texts', 'I love this phone, it is wonderful\nThe battery died after two days.\n'
        + 'The package arrived on Tuesday.\nNot bad at all!!!');
      await page.keyboard.down('Control');
      await page.keyboard.press('Enter');
      await page.keyboard.up('Control');
      await page.waitForFunction((n) => Number(document.body.dataset.analyzed ?? 0) > n, { timeout: 180000 }, before);
      const labels = await page.$$eval('article.result', (as) => as.map((a) => a.dataset.label));
      assert.deepEqual(labels, ['positive', 'negative', 'neutral', 'positive']);
      await page.screenshot({ path: process.env.SENTIKIT_SCREENSHOT ?? path.join(sample, 'dist', 'page.png'), fullPage: true });
    });
    assert.deepEqual(problems, [], 'the page ran without errors');
  } finally {
    await browser.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
