// The analyzer, for any ONNX Runtime for JavaScript (onnxruntime-node or onnxruntime-web, passed in as `ort`):
// raw text in, label probabilities out, as dev.sentikit.SentimentAnalyzer gives them.
import { PAD_ID, createEncoder } from './encoder.js';
import { checkMaxWindows, coverage, withScript } from './long-text.js';
import { checkScript } from './scripts.js';
import { ModelLoadError, readModelFile } from './model-file.js';

export { createEncoder, PAD_ID } from './encoder.js';
export {
  KEEP_HEAD, KEEP_HEAD_TAIL, KEEP_TAIL, readEncoderSpec, SCHEME_WORDPIECE_V1, SCHEME_WORDS_V1, TRUNCATION_HEAD,
  truncationName,
} from './encoder-spec.js';
export {
  FORMAT_VERSION, formatVersionFor, ModelLoadError, NEWEST_FORMAT_VERSION, readMetadata, readMetadataProps,
  readModelFile,
} from './model-file.js';

export const INPUT_IDS = 'input_ids';
export const INPUT_ATTENTION_MASK = 'attention_mask';
export const INPUT_TOKEN_TYPE_IDS = 'token_type_ids';
export const OUTPUT_PROBABILITIES = 'probabilities';
/** The inputs Sentikit fills (docs/model-format.md §1); a graph with any other is refused. */
export const SUPPORTED_INPUTS = Object.freeze([INPUT_IDS, INPUT_ATTENTION_MASK, INPUT_TOKEN_TYPE_IDS]);
/** Texts run together at most, in groups of similar length. */
export const DEFAULT_MAX_BATCH_SIZE = 64;
/**
 * Ids one run of a transformer (a WordPiece model) holds at most, padding included, unless `maxBatchTokens` says
 * otherwise; as in Java's runtime. In Node on one x86 core (js/bench/batch-tokens.mjs) the zoo's int8 transformers read
 * 1.1 to 1.6 times as many long reviews a second as in runs of up to 64 texts, and 1.4 to 2.3 times as many short
 * texts (docs/benchmarks.md, Zoo transformers).
 */
export const DEFAULT_TRANSFORMER_MAX_BATCH_TOKENS = 512;
/** Windows a long text is read in at most, by default: 1 reads it once, cut as the model's truncation says. */
export const DEFAULT_MAX_WINDOWS = 1;

function describe(metadata, names) {
  if (!metadata) {
    return names.join(', ');
  }
  return metadata.map((m) => (m.isTensor ? `${m.name} ${m.type} [${m.shape.join(', ')}]` : `${m.name} (not a tensor)`))
    .join(', ');
}

/**
 * The result of one text: the most probable label, its probability, every label's in the model's order, and how
 * much of the text the model read.
 */
function sentiment(labels, probabilities, offset, read) {
  let best = 0;
  const scores = {};
  for (let j = 0; j < labels.length; j++) {
    scores[labels[j]] = probabilities[offset + j];
    if (probabilities[offset + j] > probabilities[offset + best]) {
      best = j; // on a tie the first label wins
    }
  }
  return Object.freeze({
    label: labels[best], score: probabilities[offset + best], scores: Object.freeze(scores), coverage: read,
  });
}

/**
 * A loaded model: its card, labels and encoder, and an ONNX Runtime session. Use `SentimentAnalyzer.load` of
 * `sentikit` (Node) or `sentikit/web` (browser); this class takes the runtime as an argument.
 */
export class SentimentAnalyzer {
  /**
   * Loads a model from the bytes of its .onnx file with the given ONNX Runtime.
   *
   * @param {object} ort onnxruntime-node or onnxruntime-web
   * @param {Uint8Array} bytes the .onnx file
   * @param {{source?: string, sessionOptions?: object, maxBatchSize?: number, maxBatchTokens?: number,
   *   maxWindows?: number}} [options]
   *   `maxWindows`: how a text longer than the model reads is read: 1 (the default) once, cut as the model's
   *   truncation says; more, in up to that many overlapping windows whose probabilities are averaged.
   *   `maxBatchTokens`: the most ids one run holds, padding included (a text alone may hold more); 0 (the default)
   *   is 512 for a transformer and no bound for the other models. On a GPU execution provider, set it high.
   * @throws {ModelLoadError} when the file is not a Sentikit model this version reads
   */
  static async create(ort, bytes, options = {}) {
    const source = options.source ?? 'the model';
    const maxBatchSize = options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
    if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) {
      throw new RangeError(`maxBatchSize must be an integer >= 1, got ${maxBatchSize}`);
    }
    const maxBatchTokens = options.maxBatchTokens ?? 0;
    if (!Number.isInteger(maxBatchTokens) || maxBatchTokens < 0) {
      throw new RangeError(`maxBatchTokens must be an integer >= 0 (0 = the default), got ${maxBatchTokens}`);
    }
    const maxWindows = checkMaxWindows(options.maxWindows ?? DEFAULT_MAX_WINDOWS);
    if (!(bytes instanceof Uint8Array)) {
      throw new TypeError(`${source}: expected the bytes of an .onnx file (a Uint8Array), got ${typeof bytes}`);
    }
    const metadata = readModelFile(bytes, source);
    let session;
    try {
      session = await ort.InferenceSession.create(bytes, options.sessionOptions ?? {});
    } catch (e) {
      throw new ModelLoadError(`Cannot load ${source} with ONNX Runtime: ${e.message}`, { cause: e });
    }
    try {
      return new this(ort, session, metadata, source, maxBatchSize, maxWindows, maxBatchTokens);
    } catch (e) {
      await session.release();
      throw e;
    }
  }

  constructor(ort, session, metadata, source, maxBatchSize, maxWindows = DEFAULT_MAX_WINDOWS, maxBatchTokens = 0) {
    this.ort = ort;
    this.session = session;
    this.metadata = metadata;
    /** The share of each script among the letters of the model's training texts (card.scripts), or null. */
    this.scripts = metadata.card.scripts ?? null;
    this.source = source;
    this.maxBatchSize = maxBatchSize;
    /** Ids one run holds at most, padding included; a text alone may hold more. */
    this.maxBatchTokens = maxBatchTokens > 0 ? maxBatchTokens
      : metadata.encoder.spec.wordPiece ? DEFAULT_TRANSFORMER_MAX_BATCH_TOKENS : Infinity;
    /** Windows a long text is read in at most; 1 reads it once, cut as the model's truncation says. */
    this.maxWindows = maxWindows;
    this.closed = false;
    const found = ` (the graph's inputs are ${describe(session.inputMetadata, session.inputNames)}, its outputs `
      + `${describe(session.outputMetadata, session.outputNames)})`;
    if (!session.inputNames.includes(INPUT_IDS)) {
      throw new ModelLoadError(`${source} has no input '${INPUT_IDS}': expected int64 [batch, sequence]${found}`);
    }
    session.inputNames.forEach((name, i) => {
      if (!SUPPORTED_INPUTS.includes(name)) {
        throw new ModelLoadError(`${source} has the input '${name}', which Sentikit cannot fill: it feeds `
          + `${SUPPORTED_INPUTS.join(', ')} (the last two optional)${found}`);
      }
      const m = session.inputMetadata?.[i];
      if (m && (!m.isTensor || m.type !== 'int64' || m.shape.length !== 2)) {
        throw new ModelLoadError(`${source}: input '${name}' should be int64 [batch, sequence]${found}`);
      }
    });
    const out = session.outputNames.indexOf(OUTPUT_PROBABILITIES);
    if (out < 0) {
      throw new ModelLoadError(`${source} has no output '${OUTPUT_PROBABILITIES}': expected float [batch, `
        + `${metadata.labels.length}]${found}`);
    }
    const p = session.outputMetadata?.[out];
    if (p) {
      if (!p.isTensor || p.type !== 'float32' || p.shape.length !== 2) {
        throw new ModelLoadError(`${source}: output '${OUTPUT_PROBABILITIES}' should be float [batch, labels]${found}`);
      }
      if (typeof p.shape[1] === 'number' && p.shape[1] > 0 && p.shape[1] !== metadata.labels.length) {
        throw new ModelLoadError(`${source}: the card lists ${metadata.labels.length} labels `
          + `${JSON.stringify(metadata.labels)} but the output '${OUTPUT_PROBABILITIES}' has ${p.shape[1]} columns${found}`);
      }
    }
    this.attentionMask = session.inputNames.includes(INPUT_ATTENTION_MASK);
    this.tokenTypes = session.inputNames.includes(INPUT_TOKEN_TYPE_IDS);
  }

  /** The labels, in the order of the model's outputs. */
  get labels() {
    return this.metadata.labels;
  }

  /** The model card, as the file holds it (JSON). */
  get card() {
    return this.metadata.card;
  }

  /** The encoder that turns text into this model's ids (encode, tokenize, encodeBatch). */
  get encoder() {
    return this.metadata.encoder;
  }

  /**
   * Analyzes one text: its label, the label's probability, every label's probability, and how the text was read
   * (`coverage`: `{tokensRead, tokens, windows, charsCut, cut, how, script, scriptKnown}`, `how` being 'whole',
   * 'cut' or 'windows'; `scriptKnown` false when most of the text's letters are in scripts the model was hardly
   * trained on, `script` the one most of them are in, null for a text of too few letters).
   *
   * @param {string} text
   * @returns {Promise<{label: string, score: number, scores: Object<string, number>, coverage: {tokensRead: number,
   *   tokens: number, windows: number, charsCut: boolean, cut: boolean, how: string}}>}
   */
  async analyze(text) {
    return (await this.analyzeAll([text]))[0];
  }

  /**
   * Analyzes texts; the results are in the texts' order. They are run in batches of similar length, which gives
   * each text the result it has alone (the model ignores padding). A text longer than the model reads is read as
   * the model's truncation says, or in up to `maxWindows` windows whose probabilities are averaged, each window
   * counting the same; each result's `coverage` says how.
   *
   * @param {string[]} texts
   */
  async analyzeAll(texts) {
    if (!Array.isArray(texts)) {
      throw new TypeError('texts must be an array of strings');
    }
    texts.forEach((t, i) => {
      if (typeof t !== 'string') {
        throw new TypeError(`texts[${i}] is ${t === null ? 'null' : typeof t}; every text must be a string`);
      }
    });
    this.ensureOpen();
    // Rows: one per text read once, one per window of a text read in windows; owner[r] is the text of row r.
    const rows = [];
    const owner = [];
    const read = texts.map((text, i) => {
      const ids = this.encoder.encode(text);
      if (!this.mayBeCut(text, ids.length)) {
        rows.push(ids);
        owner.push(i);
        const tokens = this.tokensOf(ids.length);
        return withScript(coverage(tokens, tokens, 1, false), checkScript(text, this.scripts));
      }
      const r = this.encoder.read(text, this.maxWindows);
      for (const w of r.windows) {
        rows.push(w);
        owner.push(i);
      }
      return withScript(r.coverage, checkScript(text, this.scripts));
    });
    const probabilities = await this.probabilities(rows);
    const n = this.labels.length;
    const out = new Float32Array(texts.length * n);
    const windows = new Uint32Array(texts.length);
    const sum = new Float64Array(texts.length * n);
    owner.forEach((i, r) => {
      windows[i]++;
      for (let j = 0; j < n; j++) {
        sum[i * n + j] += probabilities[r * n + j];
      }
    });
    // The mean of a text's windows, as Java computes it: summed in double, then rounded to float.
    for (let i = 0; i < texts.length; i++) {
      for (let j = 0; j < n; j++) {
        out[i * n + j] = sum[i * n + j] / windows[i];
      }
    }
    return texts.map((_, i) => sentiment(this.labels, out, i * n, read[i]));
  }

  /**
   * Whether a text that gave `ids` ids may hold more than the model read, as Java's runtime decides it: when it
   * filled the model's room (with bigrams, all but the one bigram a head+tail cut leaves out), or is longer than
   * max_chars. Only such a text is read again, counting all its tokens.
   */
  mayBeCut(text, ids) {
    const spec = this.encoder.spec;
    if (text.length > spec.maxChars) {
      return true;
    }
    const room = this.encoder.room;
    if (spec.wordPiece !== null) {
      return ids - 2 >= room;
    }
    return spec.bigrams ? ids >= 2 * room - 2 : ids >= room;
  }

  /** The tokens of a text read whole that gave `ids` ids. */
  tokensOf(ids) {
    const spec = this.encoder.spec;
    if (spec.wordPiece !== null) {
      return ids - 2;
    }
    return spec.bigrams && ids > 0 ? (ids + 1) / 2 : ids;
  }

  /**
   * Explains how much each token of `text` adds to the probability of `label` (by default the label the model
   * gives), by leaving one token out at a time, as Java's SentimentAnalyzer.explain: the contribution of token i is
   * p(label | text) − p(label | the other tokens joined by spaces).
   *
   * @returns {Promise<{text: string, label: string, probability: number,
   *   contributions: {index: number, token: string, contribution: number}[]}>} contributions in token order
   */
  async explain(text, label) {
    if (typeof text !== 'string') {
      throw new TypeError(`a text must be a string, got ${text === null ? 'null' : typeof text}`);
    }
    if (label !== undefined && !this.labels.includes(label)) {
      throw new RangeError(`unknown label '${label}'; the model's labels are ${JSON.stringify(this.labels)}`);
    }
    const tokens = this.encoder.words(text);
    const variants = tokens.map((_, leftOut) => tokens.filter((__, t) => t !== leftOut).join(' '));
    const results = await this.analyzeAll([text, ...variants]);
    const explained = label ?? results[0].label;
    const probability = results[0].scores[explained];
    return {
      text,
      label: explained,
      probability,
      contributions: tokens.map((token, index) => ({
        index, token, contribution: probability - results[index + 1].scores[explained],
      })),
    };
  }

  /**
   * The model's probabilities for texts already encoded: row i of the result (labels.length values) belongs to
   * rows[i].
   *
   * @param {number[][]} rows each text's ids, without padding
   * @returns {Promise<Float32Array>}
   */
  async probabilities(rows) {
    this.ensureOpen();
    const n = this.labels.length;
    const out = new Float32Array(rows.length * n);
    const order = rows.map((_, i) => i).sort((a, b) => rows[a].length - rows[b].length || a - b);
    for (let from = 0; from < order.length;) {
      // Shortest first: the next row is the group's longest, so the run would hold (size + 1) × its length ids.
      let to = from + 1;
      while (to < order.length && to - from < this.maxBatchSize
        && (to - from + 1) * Math.max(1, rows[order[to]].length) <= this.maxBatchTokens) {
        to++;
      }
      const group = order.slice(from, to);
      const p = await this.run(group.map((i) => rows[i]));
      group.forEach((i, r) => out.set(p.subarray(r * n, (r + 1) * n), i * n));
      from = to;
    }
    return out;
  }

  /** One run of the graph on rows padded to the longest (at least 1), with the inputs the graph declares. */
  async run(rows) {
    const { ort } = this;
    const width = Math.max(1, ...rows.map((r) => r.length));
    const shape = [rows.length, width];
    const ids = new BigInt64Array(rows.length * width);
    rows.forEach((row, r) => row.forEach((id, c) => { ids[r * width + c] = BigInt(id); }));
    const feeds = { [INPUT_IDS]: new ort.Tensor('int64', ids, shape) };
    if (this.attentionMask) {
      feeds[INPUT_ATTENTION_MASK] = new ort.Tensor('int64', ids.map((id) => (id !== BigInt(PAD_ID) ? 1n : 0n)), shape);
    }
    if (this.tokenTypes) {
      feeds[INPUT_TOKEN_TYPE_IDS] = new ort.Tensor('int64', new BigInt64Array(ids.length), shape);
    }
    // All outputs: onnxruntime-node 1.23 answers a fetch list of ['probabilities'] with the tensor named 'logits'.
    const results = await this.session.run(feeds);
    const p = results[OUTPUT_PROBABILITIES];
    try {
      if (p.dims.length !== 2 || p.dims[0] !== rows.length || p.dims[1] !== this.labels.length) {
        throw new Error(`${this.source}: the output '${OUTPUT_PROBABILITIES}' has the shape [${p.dims.join(', ')}], `
          + `expected [${rows.length}, ${this.labels.length}]`);
      }
      return Float32Array.from(p.data);
    } finally {
      Object.values(results).forEach((t) => t.dispose?.());
    }
  }

  ensureOpen() {
    if (this.closed) {
      throw new Error(`this analyzer of ${this.source} is closed`);
    }
  }

  /** Releases the ONNX Runtime session; safe to call twice. */
  async close() {
    if (!this.closed) {
      this.closed = true;
      await this.session.release();
    }
  }
}

