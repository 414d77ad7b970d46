// The page: loads a zoo model with the sentikit package (js/src/web.js) on onnxruntime-web, and shows each text's
// label, a bar per label, and how a long text was read (cut as the model says, or in windows). Everything comes from
// this page's own server: the bundle, onnxruntime-web's .wasm files (ort/) and the model files (models/).
import { ort, SentimentAnalyzer } from '../../../js/src/web.js';

ort.env.wasm.wasmPaths = new URL('ort/', document.baseURI).href;
ort.env.wasm.numThreads = 1; // threads need a cross-origin isolated page; one is enough for a few texts
ort.env.logLevel = 'error';

const $ = (id) => document.getElementById(id);
const select = $('model');
const windowsSelect = $('windows');
const status = $('status');
const button = $('analyze');
const textarea = $('texts');
const results = $('results');
const timing = $('timing');

let analyzer = null;
/** The file of the model loaded last, fetched once: another bound of windows makes a new analyzer from it. */
let loaded = { name: null, bytes: null };

/** A probability as the page shows it: a percentage with two decimals (the probability to 1e-4). */
function percent(p) {
  return `${(100 * p).toFixed(2)} %`;
}

function megabytes(bytes) {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function element(tag, attributes = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) {
    if (k === 'class') {
      e.className = v;
    } else {
      e.setAttribute(k, v);
    }
  }
  e.append(...children);
  return e;
}

function colour(label) {
  return ['negative', 'neutral', 'positive'].includes(label) ? label : 'other';
}

/**
 * How a text was read, for a person: nothing when the model read it whole at once, in a script it was trained on;
 * a warning when the text is mostly in a script the model hardly saw (its result then means little).
 */
function readNote(c) {
  const past = c.charsCut ? ' (counted in the part of the text the model reads at most)' : '';
  const notes = [];
  if (c.how === 'windows') {
    notes.push(`read in ${c.windows} windows: ${c.tokensRead} of ${c.tokens} tokens${past}`);
  } else if (c.how === 'cut') {
    notes.push(`read ${c.tokensRead} of ${c.tokens} tokens${past}`);
  }
  if (!c.scriptKnown) {
    notes.push(`written mostly in ${c.script}, which this model was hardly trained on: its result means little`);
  }
  return notes.length === 0 ? null : notes.join('; ');
}

async function load(model) {
  button.disabled = true;
  select.disabled = true;
  windowsSelect.disabled = true;
  results.replaceChildren();
  timing.textContent = '';
  status.className = 'muted';
  const maxWindows = Number(windowsSelect.value);
  status.textContent = `Loading ${model.name} (${megabytes(model.bytes)})…`;
  const started = performance.now();
  try {
    await analyzer?.close();
    analyzer = null;
    delete document.body.dataset.model;
    if (loaded.name !== model.name) {
      loaded = { name: null, bytes: null };
      const response = await fetch(`models/${model.file}`);
      if (!response.ok) {
        throw new Error(`HTTP ${response.status} ${response.statusText}`);
      }
      loaded = { name: model.name, bytes: new Uint8Array(await response.arrayBuffer()) };
    }
    const next = await SentimentAnalyzer.load(loaded.bytes, { maxWindows, source: `models/${model.file}` });
    analyzer = next;
    const card = next.card;
    status.textContent = `${model.name}: ${card.architecture}, ${card.encoder.scheme}, labels `
      + `${next.labels.join(', ')}; loaded in ${Math.round(performance.now() - started)} ms`;
    document.body.dataset.model = model.name;
    document.body.dataset.windows = String(maxWindows);
    button.disabled = false;
  } catch (e) {
    status.className = 'error';
    status.textContent = `Cannot load ${model.name}: ${e.message}`;
  } finally {
    select.disabled = false;
    windowsSelect.disabled = false;
  }
}

function render(texts, sentiments) {
  results.replaceChildren(...texts.map((text, i) => {
    const s = sentiments[i];
    const rows = analyzer.labels.map((label) => element('div', {
      class: 'bar-row', 'data-label': label, 'data-probability': String(s.scores[label]),
    },
    element('span', { class: 'name' }, label),
    element('span', { class: 'bar' }, element('span', {
      class: `fill ${colour(label)}`, style: `width: ${(100 * s.scores[label]).toFixed(3)}%`,
    })),
    element('span', { class: 'value' }, percent(s.scores[label]))));
    const c = s.coverage;
    const note = readNote(c);
    return element('article', {
      class: 'result', 'data-label': s.label, 'data-how': c.how, 'data-tokens-read': String(c.tokensRead),
      'data-tokens': String(c.tokens), 'data-windows': String(c.windows), 'data-chars-cut': String(c.charsCut),
      'data-script': c.script ?? '', 'data-script-known': String(c.scriptKnown),
    },
    element('p', { class: text.trim() === '' ? 'text empty' : 'text' }, text.trim() === '' ? '(empty)' : text),
    element('p', { class: 'verdict' }, element('span', { class: `label ${colour(s.label)}` }, s.label),
      `${percent(s.score)}`),
    ...(note === null ? [] : [element('p', { class: 'read' }, note)]),
    ...rows);
  }));
}

async function analyze() {
  if (analyzer === null) {
    return;
  }
  const texts = textarea.value.split(/\r\n|\r|\n/);
  while (texts.length > 1 && texts[texts.length - 1] === '') {
    texts.pop();
  }
  button.disabled = true;
  const started = performance.now();
  try {
    const sentiments = await analyzer.analyzeAll(texts);
    render(texts, sentiments);
    timing.textContent = `${texts.length} ${texts.length === 1 ? 'text' : 'texts'} in `
      + `${Math.round(performance.now() - started)} ms`;
    document.body.dataset.analyzed = String(Number(document.body.dataset.analyzed ?? 0) + 1);
  } catch (e) {
    timing.className = 'error';
    timing.textContent = e.message;
  } finally {
    button.disabled = false;
  }
}

async function start() {
  const models = await (await fetch('models/models.json')).json();
  select.replaceChildren(...models.map((m) => element('option', { value: m.name }, `${m.name} (${megabytes(m.bytes)})`)));
  const wanted = new URLSearchParams(location.search).get('model');
  const first = models.find((m) => m.name === wanted) ?? models.find((m) => m.name === 'en-lite') ?? models[0];
  select.value = first.name;
  select.addEventListener('change', () => {
    load(models.find((m) => m.name === select.value));
  });
  windowsSelect.addEventListener('change', () => {
    load(models.find((m) => m.name === select.value));
  });
  button.addEventListener('click', analyze);
  textarea.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      analyze();
    }
  });
  await load(first);
}

start().catch((e) => {
  status.className = 'error';
  status.textContent = `Cannot start: ${e.message}`;
});
