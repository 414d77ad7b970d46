// Reading a model file's metadata from the .onnx bytes, and refusing files that are not Sentikit models with a
// message that names the file and the field, as the Java reader does (docs/model-format.md §2, §3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ModelLoadError, readMetadata, readMetadataProps, readModelFile } from '../src/core.js';
import { fnv1a32 } from '../src/encoder.js';
import { SentimentAnalyzer, zooModelPath } from '../src/node.js';

/** A ModelProto holding only the given metadata_props (field 14: key 1, value 2) after an ir_version. */
function modelProto(props) {
  const bytes = [0x08, 0x08]; // ir_version = 8
  const utf8 = new TextEncoder();
  const varint = (n, out) => {
    while (n >= 0x80) {
      out.push((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    out.push(n);
  };
  const field = (number, payload, out) => {
    varint(number * 8 + 2, out);
    varint(payload.length, out);
    out.push(...payload);
  };
  for (const [k, v] of Object.entries(props)) {
    const entry = [];
    field(1, [...utf8.encode(k)], entry);
    field(2, [...utf8.encode(v)], entry);
    field(14, entry, bytes);
  }
  return new Uint8Array(bytes);
}

const WORDS_CARD = {
  format_version: 1, architecture: 'bag', labels: ['negative', 'positive'],
  encoder: { scheme: 'sentikit-words-v1', lowercase: true, bigrams: true, max_tokens: 16, max_chars: 256, hash_buckets: 10 },
  vocabulary_size: 2, embedding_rows: 13,
};

function props(card, vocabulary = ['good', 'bad']) {
  return { 'sentikit.format_version': '1', 'sentikit.card': JSON.stringify(card), 'sentikit.vocabulary': JSON.stringify(vocabulary) };
}

function refused(p, pattern) {
  assert.throws(() => readModelFile(modelProto(p), 'm.onnx'), (e) => {
    assert.ok(e instanceof ModelLoadError, `${e.name}: ${e.message}`);
    assert.match(e.message, pattern);
    assert.ok(e.message.startsWith('m.onnx'), e.message);
    return true;
  });
}

test('the metadata come from the file itself, escapes decoded', () => {
  const p = props(WORDS_CARD, ['good', '\u597d']);
  p['sentikit.vocabulary'] = '["good","\\u597D"]';
  p.other = 'kept';
  const read = readMetadataProps(modelProto(p), 'm.onnx');
  assert.equal(read.get('other'), 'kept');
  const m = readMetadata(read, 'm.onnx');
  assert.deepEqual(m.vocabulary, ['good', '\u597d']);
  assert.deepEqual(m.labels, ['negative', 'positive']);
  // The bigram is no entry: its hash bucket, after the 1 + 2 ids of padding and the entries.
  assert.deepEqual(m.encoder.encode('Good \u597d'), [1, 2, 3 + (fnv1a32('good \u597d') % 10)]);
  assert.equal(fnv1a32('foobar'), 0xbf9cf968); // docs/model-format.md §4.5
});

test('each zoo model\'s metadata are read from its file', () => {
  for (const name of ['en', 'en-lite', 'zh', 'zh-lite']) {
    const m = readModelFile(readFileSync(zooModelPath(name)), name);
    assert.equal(m.card.name, name);
    assert.equal(m.vocabulary.length, m.card.vocabulary_size);
    assert.ok(m.labels.length >= 2);
  }
});

test('a file without Sentikit metadata is refused, and so is one that is not protobuf', () => {
  refused({ producer: 'x' }, /is an ONNX model but not a Sentikit model: its metadata has no 'sentikit.format_version'/);
  assert.throws(() => readMetadataProps(new TextEncoder().encode('this is a text file, not a model\n'), 'notes.txt'),
    /^ModelLoadError: notes.txt is not an ONNX model/);
});

test('a newer format, a missing field, an unknown scheme are refused, naming what is wrong', () => {
  refused({ ...props(WORDS_CARD), 'sentikit.format_version': '3' },
    /has model format 3, newer than the formats 1 to 2 this Sentikit reads: upgrade/);
  refused({ ...props(WORDS_CARD), 'sentikit.format_version': 'one' }, /'sentikit.format_version' is 'one', not a number/);
  const { vocabulary_size: _, ...noSize } = WORDS_CARD;
  refused(props(noSize), /the required field 'vocabulary_size' is missing/);
  const { lowercase: __, ...noLower } = WORDS_CARD.encoder;
  refused(props({ ...WORDS_CARD, encoder: noLower }), /the required field 'encoder.lowercase' is missing/);
  refused(props({ ...WORDS_CARD, encoder: { ...WORDS_CARD.encoder, lowercase: null } }), /the field 'encoder.lowercase' is null/);
  refused(props({ ...WORDS_CARD, encoder: { ...WORDS_CARD.encoder, scheme: 'sentikit-words-v9' } }),
    /unknown encoder scheme 'sentikit-words-v9'.*a newer Sentikit may be needed/);
  refused(props({ ...WORDS_CARD, embedding_rows: 12 }), /embedding table has 12 rows, but 1 \+ 2 entries \+ 10 hash buckets = 13/);
  refused(props({ ...WORDS_CARD, labels: ['a', 'a'] }), /lists a label twice/);
  refused(props(WORDS_CARD, ['good', 'good']), /vocabulary entry 'good' appears twice/);
  refused({ ...props(WORDS_CARD), 'sentikit.card': '{"format_version": 1,' }, /metadata entry 'sentikit.card' is invalid/);
});

test('format 2 says which tokens of a long text are kept; format 1 cannot say it (§3, §4.8)', () => {
  const format2 = (truncation, card = WORDS_CARD) => ({
    ...props({ ...card, format_version: 2, encoder: { ...card.encoder, truncation } }),
    'sentikit.format_version': '2',
  });
  const tail = readModelFile(modelProto(format2({ keep: 'tail' })), 'm.onnx');
  assert.deepEqual(tail.spec.truncation, { keep: 'tail', headTokens: null });
  const headTail = readModelFile(modelProto(format2({ keep: 'head+tail', head_tokens: 3 })), 'm.onnx');
  assert.deepEqual(headTail.spec.truncation, { keep: 'head+tail', headTokens: 3 });
  // 16 tokens are read: the first 3 and the last 13.
  const text = Array.from({ length: 20 }, (_, i) => `w${i}`).join(' ');
  assert.deepEqual(headTail.encoder.tokenize(text), ['w0', 'w1', 'w2', ...Array.from({ length: 13 }, (_, i) => `w${i + 7}`)]);
  assert.deepEqual(readModelFile(modelProto(format2({ keep: 'head' })), 'm.onnx').spec.truncation,
    { keep: 'head', headTokens: null }, 'a format-2 file may keep the head');
  assert.deepEqual(readModelFile(modelProto(props(WORDS_CARD)), 'm.onnx').spec.truncation,
    { keep: 'head', headTokens: null }, 'no truncation: head');
  assert.deepEqual(readModelFile(modelProto(props({ ...WORDS_CARD, encoder: { ...WORDS_CARD.encoder, truncation: null } })),
    'm.onnx').spec.truncation, { keep: 'head', headTokens: null }, 'a null truncation: head');

  // A format-1 file that says it keeps the tail contradicts itself: a format-1 reader would read its head.
  refused(props({ ...WORDS_CARD, encoder: { ...WORDS_CARD.encoder, truncation: { keep: 'tail' } } }),
    /^m.onnx: the encoder keeps 'tail' tokens of a long text, which format 1 cannot say \(format 2 can\): the file is inconsistent$/);
  refused(props({ ...WORDS_CARD, encoder: { ...WORDS_CARD.encoder, truncation: { keep: 'head+tail', head_tokens: 2 } } }),
    /the encoder keeps 'head\+tail:2' tokens/);
  refused(format2({ keep: 'middle' }), /unknown truncation 'middle': expected head, tail or head\+tail; a newer Sentikit may be needed/);
  refused(format2({ keep: 'tail', head_tokens: 2 }), /truncation 'tail' takes no head_tokens/);
  refused(format2({ keep: 'head+tail' }), /truncation 'head\+tail' needs head_tokens >= 1, got null/);
  refused(format2({ keep: 'head+tail', head_tokens: 0 }), /needs head_tokens >= 1, got 0/);
  refused(format2({ keep: 'head+tail', head_tokens: 16 }),
    /truncation head\+tail:16 keeps no tail: the model reads 16 tokens; give fewer head tokens, or head/);
  refused(format2({}), /the required field 'encoder.truncation.keep' is missing/);
  refused(format2('tail'), /the field 'encoder.truncation' should be an object/);
});

test('a WordPiece card whose vocabulary lacks its tokens is refused', () => {
  const card = {
    format_version: 1, architecture: 'transformer', labels: ['negative', 'positive'], vocabulary_size: 2, embedding_rows: 3,
    encoder: {
      scheme: 'sentikit-wordpiece-v1', lowercase: true, bigrams: false, max_tokens: 8, max_chars: 100, hash_buckets: 0,
      wordpiece: {
        clean_text: true, handle_chinese_chars: true, strip_accents: true, unk_token: '[UNK]', cls_token: '[CLS]',
        sep_token: '[SEP]', pad_token: '[PAD]', continuing_subword_prefix: '##', max_input_chars_per_word: 100,
        special_tokens: ['[UNK]', '[CLS]', '[SEP]'],
      },
    },
  };
  refused(props(card, ['[UNK]', '[CLS]']), /the encoder cannot run on this vocabulary: the vocabulary has no entry for the sep_token '\[SEP\]'/);
  refused(props({ ...card, encoder: { ...card.encoder, bigrams: true } }, ['[UNK]', '[CLS]']), /has no bigrams/);
  const m = readModelFile(modelProto(props({ ...card, vocabulary_size: 4, embedding_rows: 5 }, ['[UNK]', '[CLS]', '[SEP]', 'good'])), 'm.onnx');
  assert.deepEqual(m.encoder.encode('Good bad'), [2, 4, 1, 3]);
  // WordPiece reads max_tokens − 2 pieces: head_tokens must leave room for a tail.
  const wordPiece2 = (headTokens) => ({
    ...props({ ...card, format_version: 2, vocabulary_size: 4, embedding_rows: 5,
      encoder: { ...card.encoder, truncation: { keep: 'head+tail', head_tokens: headTokens } } }, ['[UNK]', '[CLS]', '[SEP]', 'good']),
    'sentikit.format_version': '2',
  });
  refused(wordPiece2(6), /truncation head\+tail:6 keeps no tail: the model reads 6 tokens/);
  const tail = readModelFile(modelProto(wordPiece2(5)), 'm.onnx');
  assert.deepEqual(tail.encoder.encode('a good good good good good good good b'), [2, 1, 4, 4, 4, 4, 1, 3]);
});

test('loading names the file that is missing or not a model', async () => {
  await assert.rejects(SentimentAnalyzer.load('/nonexistent/model.onnx'), /Cannot read the model file \/nonexistent\/model.onnx: no such file/);
  const notes = fileURLToPath(new URL('../package.json', import.meta.url));
  await assert.rejects(SentimentAnalyzer.load(notes), (e) => e instanceof ModelLoadError && e.message.includes(notes));
  assert.throws(() => zooModelPath('fr'), /no zoo model 'fr': the zoo models are en, en-lite, zh, zh-lite/);
});
