// Reads a Sentikit model file's metadata (docs/model-format.md §2, §3) from the ONNX file itself: the
// metadata_props of the ModelProto, found by walking its protobuf fields, then checked as the Java reader
// (dev.sentikit.model.ModelFormat.fromMetadataProps) checks them.
import { KEEP_HEAD, SpecError, readEncoderSpec, truncationName } from './encoder-spec.js';
import { createEncoder } from './encoder.js';

/** The format of a file whose encoder keeps the first tokens of a long text, what every format-1 reader takes. */
export const FORMAT_VERSION = 1;
/**
 * The newest format this package reads; a file with a larger one needs a newer Sentikit. Format 2 adds
 * `encoder.truncation` (§3, §4.8).
 */
export const NEWEST_FORMAT_VERSION = 2;
export const KEY_FORMAT_VERSION = 'sentikit.format_version';
export const KEY_CARD = 'sentikit.card';
export const KEY_VOCABULARY = 'sentikit.vocabulary';
export const KEY_TOKENIZER_JSON = 'sentikit.tokenizer_json';
/** Metadata values longer than this many UTF-16 units are refused, as in Java (64 Mi). */
export const MAX_METADATA_CHARS = 64 * 1024 * 1024;

/** ModelProto.metadata_props and StringStringEntryProto's fields (onnx.proto). */
const MODEL_METADATA_PROPS = 14;
const ENTRY_KEY = 1;
const ENTRY_VALUE = 2;

/** A model file that cannot be loaded; the message names the file and what to do. */
export class ModelLoadError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = 'ModelLoadError';
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: false });

/**
 * The `metadata_props` of an ONNX file as a Map, in file order.
 *
 * @param {Uint8Array} bytes the whole .onnx file
 * @param {string} source the file, for messages
 */
export function readMetadataProps(bytes, source) {
  const props = new Map();
  const reader = new ProtoReader(bytes, source);
  while (!reader.done()) {
    const { field, wire } = reader.tag();
    if (field === MODEL_METADATA_PROPS && wire === 2) {
      const entry = reader.message();
      let key = '';
      let value = '';
      while (!entry.done()) {
        const t = entry.tag();
        if (t.field === ENTRY_KEY && t.wire === 2) {
          key = UTF8.decode(entry.bytes());
        } else if (t.field === ENTRY_VALUE && t.wire === 2) {
          value = UTF8.decode(entry.bytes());
        } else {
          entry.skip(t.wire);
        }
      }
      props.set(key, value);
    } else {
      reader.skip(wire);
    }
  }
  return props;
}

/** Just enough of the protobuf wire format to walk a message's fields and skip those it does not read. */
class ProtoReader {
  constructor(bytes, source, from = 0, to = bytes.length) {
    this.b = bytes;
    this.source = source;
    this.at = from;
    this.end = to;
  }

  done() {
    return this.at >= this.end;
  }

  fail(what) {
    throw new ModelLoadError(`${this.source} is not an ONNX model: ${what} at byte ${this.at} (a Sentikit model is `
      + 'one .onnx file, docs/model-format.md)');
  }

  varint() {
    let value = 0;
    let scale = 1;
    for (let k = 0; k < 10; k++) {
      if (this.at >= this.end) {
        this.fail('the file ends inside a number');
      }
      const byte = this.b[this.at++];
      value += (byte & 0x7f) * scale;
      scale *= 128;
      if (byte < 0x80) {
        return value;
      }
    }
    return this.fail('a number longer than 10 bytes');
  }

  tag() {
    const v = this.varint();
    const field = Math.floor(v / 8);
    const wire = v % 8;
    if (field === 0) {
      this.fail('field number 0');
    }
    return { field, wire };
  }

  length() {
    const n = this.varint();
    if (n > this.end - this.at) {
      this.fail(`a field of ${n} bytes where ${this.end - this.at} are left`);
    }
    return n;
  }

  bytes() {
    const n = this.length();
    const out = this.b.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  message() {
    const n = this.length();
    const sub = new ProtoReader(this.b, this.source, this.at, this.at + n);
    this.at += n;
    return sub;
  }

  skip(wire) {
    switch (wire) {
      case 0: this.varint(); break;
      case 1: this.advance(8); break;
      case 2: { const n = this.length(); this.at += n; break; }
      case 5: this.advance(4); break;
      default: this.fail(`wire type ${wire}`);
    }
  }

  advance(n) {
    if (n > this.end - this.at) {
      this.fail('the file ends inside a field');
    }
    this.at += n;
  }
}

/** The oldest format that can hold an encoder (checked by readEncoderSpec): 1 when it keeps the first tokens, else 2. */
export function formatVersionFor(spec) {
  return spec.truncation.keep === KEEP_HEAD ? 1 : 2;
}

function abbreviate(s) {
  return s.length <= 200 ? s : `${s.slice(0, 200)}…`;
}

function parseJson(props, key, source) {
  const value = props.get(key);
  if (value === undefined) {
    throw new ModelLoadError(`${source}: the model's metadata has no '${key}' entry`);
  }
  if (value.length > MAX_METADATA_CHARS) {
    throw new ModelLoadError(`${source}: metadata entry '${key}' has ${value.length} characters, more than the limit `
      + `of ${MAX_METADATA_CHARS}`);
  }
  let parsed;
  try {
    parsed = JSON.parse(value);
  } catch (e) {
    throw new ModelLoadError(`${source}: metadata entry '${key}' is invalid: ${abbreviate(e.message)}`, { cause: e });
  }
  if (parsed === null) {
    throw new ModelLoadError(`${source}: metadata entry '${key}' is null`);
  }
  return parsed;
}

function cardField(card, key, type, source) {
  if (!Object.prototype.hasOwnProperty.call(card, key)) {
    throw new ModelLoadError(`${source}: metadata entry '${KEY_CARD}' is invalid: the required field '${key}' is missing`);
  }
  const v = card[key];
  if (v === null) {
    throw new ModelLoadError(`${source}: metadata entry '${KEY_CARD}' is invalid: the field '${key}' is null`);
  }
  const ok = type === 'integer' ? Number.isSafeInteger(v) : type === 'array' ? Array.isArray(v)
    : type === 'object' ? typeof v === 'object' && !Array.isArray(v) : typeof v === type;
  if (!ok) {
    throw new ModelLoadError(`${source}: metadata entry '${KEY_CARD}' is invalid: the field '${key}' should be `
      + `${type === 'string' ? 'a string' : `an ${type}`}, found ${abbreviate(JSON.stringify(v))}`);
  }
  return v;
}

/**
 * Reads and checks a model's metadata: {card, spec, vocabulary, encoder, labels}. `card` is the card's JSON as it
 * is; `spec` its `encoder`, checked.
 *
 * @param {Map<string, string>} props the file's metadata_props
 * @param {string} source the file, for messages
 * @throws {ModelLoadError} naming what is missing or inconsistent
 */
export function readMetadata(props, source) {
  const version = props.get(KEY_FORMAT_VERSION);
  if (version === undefined) {
    throw new ModelLoadError(`${source} is an ONNX model but not a Sentikit model: its metadata has no `
      + `'${KEY_FORMAT_VERSION}' entry. Export models with \`trainer export --format onnx\`.`);
  }
  const trimmed = version.trim();
  if (!/^[+-]?\d{1,9}$/.test(trimmed)) {
    throw new ModelLoadError(`${source}: '${KEY_FORMAT_VERSION}' is '${abbreviate(version)}', not a number`);
  }
  const v = Number(trimmed);
  if (v > NEWEST_FORMAT_VERSION) {
    throw new ModelLoadError(`${source} has model format ${v}, newer than the formats 1 to ${NEWEST_FORMAT_VERSION} `
      + 'this Sentikit reads: upgrade Sentikit to load it');
  }
  if (v < 1) {
    throw new ModelLoadError(`${source}: invalid model format version ${v}`);
  }
  const card = parseJson(props, KEY_CARD, source);
  if (typeof card !== 'object' || Array.isArray(card)) {
    throw new ModelLoadError(`${source}: metadata entry '${KEY_CARD}' is invalid: expected a JSON object`);
  }
  const vocabulary = parseJson(props, KEY_VOCABULARY, source);
  if (!Array.isArray(vocabulary) || vocabulary.some((e) => typeof e !== 'string')) {
    throw new ModelLoadError(`${source}: metadata entry '${KEY_VOCABULARY}' is invalid: expected a JSON array of `
      + 'strings');
  }
  const formatVersion = cardField(card, 'format_version', 'integer', source);
  cardField(card, 'architecture', 'string', source);
  const labels = cardField(card, 'labels', 'array', source);
  cardField(card, 'encoder', 'object', source);
  const vocabularySize = cardField(card, 'vocabulary_size', 'integer', source);
  const embeddingRows = cardField(card, 'embedding_rows', 'integer', source);
  let spec;
  try {
    spec = readEncoderSpec(card.encoder, 'encoder');
  } catch (e) {
    if (e instanceof SpecError) {
      throw new ModelLoadError(`${source}: metadata entry '${KEY_CARD}' is invalid: ${e.message}`, { cause: e });
    }
    throw e;
  }
  if (formatVersion !== v) {
    throw new ModelLoadError(`${source}: the card says format ${formatVersion} but '${KEY_FORMAT_VERSION}' says ${v}`);
  }
  if (v < formatVersionFor(spec)) {
    // A format-1 reader would read the first tokens of such a file, not the ones it was trained on.
    throw new ModelLoadError(`${source}: the encoder keeps '${truncationName(spec.truncation)}' tokens of a long text, `
      + `which format ${v} cannot say (format ${formatVersionFor(spec)} can): the file is inconsistent`);
  }
  if (labels.length < 2 || labels.some((l) => typeof l !== 'string')) {
    throw new ModelLoadError(`${source}: a model needs at least two labels, the card lists ${JSON.stringify(labels)}`);
  }
  if (new Set(labels).size !== labels.length) {
    throw new ModelLoadError(`${source}: the card lists a label twice: ${JSON.stringify(labels)}`);
  }
  const seen = new Set();
  vocabulary.forEach((entry, i) => {
    if (entry.length === 0) {
      throw new ModelLoadError(`${source}: invalid vocabulary: vocabulary entry ${i} is empty`);
    }
    if (seen.has(entry)) {
      throw new ModelLoadError(`${source}: invalid vocabulary: vocabulary entry '${entry}' appears twice`);
    }
    seen.add(entry);
  });
  if (vocabulary.length !== vocabularySize) {
    throw new ModelLoadError(`${source}: the vocabulary has ${vocabulary.length} entries but the card says `
      + `${vocabularySize}`);
  }
  const rows = 1 + vocabulary.length + spec.hashBuckets;
  if (embeddingRows !== rows) {
    throw new ModelLoadError(`${source}: the card says the embedding table has ${embeddingRows} rows, but 1 + `
      + `${vocabulary.length} entries + ${spec.hashBuckets} hash buckets = ${rows}`);
  }
  let encoder;
  try {
    encoder = createEncoder(spec, vocabulary);
  } catch (e) {
    throw new ModelLoadError(`${source}: the encoder cannot run on this vocabulary: ${e.message}`, { cause: e });
  }
  return { card, spec, vocabulary, encoder, labels: Object.freeze([...labels]) };
}

/** readMetadataProps, then readMetadata: the metadata of a whole .onnx file. */
export function readModelFile(bytes, source) {
  return readMetadata(readMetadataProps(bytes, source), source);
}
