// The text encoder: text to the ids a model reads, exactly as the Java encoder (dev.sentikit.text.TextEncoder)
// gives them, for both schemes of docs/model-format.md: sentikit-words-v1 (§4) and sentikit-wordpiece-v1 (§8).
// The golden vectors of sdk-api and a comparison with the Java encoder over thousands of texts hold it to that.
import {
  KEEP_HEAD, SCHEME_WORDPIECE_V1, TRUNCATION_HEAD, maxSequenceLength, readEncoderSpec, room,
} from './encoder-spec.js';
import {
  checkMaxWindows, coverage, keptRanges, stretches, union, windows,
} from './long-text.js';
import {
  APOSTROPHE, FORMAT, SINGLE, WORD, WORD_MARK,
  classOf, isBertChinese, isBertControl, isBertNonspacingMark, isBertPunctuation, isBertWhitespace, lowerCase,
  normalize,
} from './unicode.js';

/** The id of padding; it appears in no encoded text. */
export const PAD_ID = 0;

const FINAL_SIGMA = 0x3c2;
const SIGMA = 0x3c3;
const CAPITAL_I_WITH_DOT_ABOVE = 0x130;
const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * The encoder of a model: `spec` is the card's `encoder` (as JSON, or as readEncoderSpec returns it) and
 * `vocabulary` the entries of `sentikit.vocabulary`, which take ids 1, 2, … in order.
 *
 * @throws {Error} when the vocabulary cannot serve the specification (a WordPiece vocabulary without its unknown token)
 */
export function createEncoder(spec, vocabulary) {
  let s = spec.maxTokens === undefined ? readEncoderSpec(spec) : spec;
  if (s.truncation === undefined) {
    s = Object.freeze({ ...s, truncation: TRUNCATION_HEAD }); // a specification written before truncation was one
  }
  const ids = vocabularyIds(vocabulary);
  return s.scheme === SCHEME_WORDPIECE_V1 ? new WordPieceEncoder(s, vocabulary, ids) : new WordsEncoder(s, vocabulary, ids);
}

function vocabularyIds(vocabulary) {
  if (!Array.isArray(vocabulary)) {
    throw new TypeError('the vocabulary must be an array of strings');
  }
  const ids = new Map();
  vocabulary.forEach((entry, i) => {
    if (typeof entry !== 'string' || entry.length === 0) {
      throw new Error(`vocabulary entry ${i} is empty`);
    }
    if (ids.has(entry)) {
      throw new Error(`vocabulary entry '${entry}' appears twice`);
    }
    ids.set(entry, i + 1);
  });
  return ids;
}

/** Keeps the first maxChars code units, one fewer when that would split a surrogate pair (§4.1, §8.3). */
function truncate(text, maxChars) {
  if (text.length <= maxChars) {
    return text;
  }
  const [[, n]] = stretches(text, maxChars, TRUNCATION_HEAD);
  return text.slice(0, n);
}

function isHigh(unit) {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLow(unit) {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

class BaseEncoder {
  constructor(spec, vocabulary, ids) {
    this.spec = spec;
    this.vocabulary = vocabulary;
    this.ids = ids;
  }

  /** The longest id sequence one text can give. */
  get maxSequenceLength() {
    return maxSequenceLength(this.spec);
  }

  /** How many tokens of a text the model reads: max_tokens words, or max_tokens − 2 pieces. */
  get room() {
    return room(this.spec);
  }

  /** Whether the encoder keeps the first tokens of a long text (what it does without `encoder.truncation`). */
  get keepsHead() {
    return this.spec.truncation.keep === KEEP_HEAD;
  }

  /**
   * Texts as one padded batch: `ids` (BigInt64Array, row-major, rows × width), `width` the longest row (at least
   * 1), `lengths` each text's id count.
   */
  encodeBatch(texts) {
    const rows = texts.map((t) => this.encode(t));
    const width = Math.max(1, ...rows.map((r) => r.length));
    const ids = new BigInt64Array(rows.length * width);
    rows.forEach((row, r) => row.forEach((id, c) => { ids[r * width + c] = BigInt(id); }));
    return { ids, rows: rows.length, width, lengths: rows.map((r) => r.length) };
  }
}

/** sentikit-words-v1 (docs/model-format.md §4), as dev.sentikit.text.WordsEncoder. */
class WordsEncoder extends BaseEncoder {
  constructor(spec, vocabulary, ids) {
    super(spec, vocabulary, ids);
    this.firstBucket = 1 + vocabulary.length;
    if (this.firstBucket + spec.hashBuckets > 2 ** 31 - 1) {
      throw new Error(`1 + ${vocabulary.length} vocabulary entries + ${spec.hashBuckets} hash buckets = `
        + `${this.firstBucket + spec.hashBuckets} ids, more than the ${2 ** 31 - 1} an int id can hold`);
    }
  }

  get idSpace() {
    return this.firstBucket + this.spec.hashBuckets;
  }

  /** The tokens of steps 1 to 4 (§4.1 to §4.4) that the model reads: the first max_tokens, or those the truncation keeps. */
  tokenize(text) {
    requireText(text);
    if (this.keepsHead) {
      return this.headTokens(text);
    }
    const all = this.allTokens(text);
    return keep(all, keptRanges(this.spec.truncation, all.tokens.length, this.room)).tokens;
  }

  /** The tokens, as the vocabulary-free TextEncoder.tokenize(text, spec) of Java gives them: those of tokenize. */
  words(text) {
    return this.tokenize(text);
  }

  /**
   * The ids of a text (§4.5, §4.6): the kept tokens', then the bigrams' of tokens that are adjacent in the text;
   * [] for a text without tokens.
   */
  encode(text) {
    requireText(text);
    if (this.keepsHead) {
      return this.idsOf(this.headTokens(text), null);
    }
    const all = this.allTokens(text);
    const kept = keep(all, keptRanges(this.spec.truncation, all.tokens.length, this.room));
    return this.idsOf(kept.tokens, kept.follows);
  }

  /**
   * Reads a text as a model does (§4.8), as Java's TextEncoder.read: `{windows, coverage}`, the ids of each window
   * (one with `maxWindows` 1: the ids of encode) and how much of the text they read (see coverage in long-text.js).
   */
  read(text, maxWindows = 1) {
    requireText(text);
    checkMaxWindows(maxWindows);
    const all = this.allTokens(text);
    const total = all.tokens.length;
    const ranges = maxWindows === 1 ? keptRanges(this.spec.truncation, total, this.room)
      : windows(total, this.room, maxWindows);
    const rows = (maxWindows === 1 ? [ranges] : ranges.map((w) => [w])).map((r) => {
      const kept = keep(all, r);
      return this.idsOf(kept.tokens, kept.follows);
    });
    return Object.freeze({
      windows: rows, coverage: coverage(union(ranges), total, rows.length, text.length > this.spec.maxChars),
    });
  }

  /** Steps 1 to 4 as head truncation reads them: the first max_chars code units, the first max_tokens tokens. */
  headTokens(text) {
    const s = normalize(truncate(text, this.spec.maxChars), 'NFKC');
    return scanWords(s, this.spec.lowercase, this.spec.maxTokens);
  }

  /**
   * Every token of the stretches the truncation reads, each stretch normalized and tokenized on its own (§4.8):
   * `{tokens, junction}`, junction the index of the first token of a second stretch that follows tokens of the
   * first (no bigram joins the two), or -1.
   */
  allTokens(text) {
    const tokens = [];
    let junction = -1;
    for (const [from, to] of stretches(text, this.spec.maxChars, this.spec.truncation)) {
      const part = scanWords(normalize(text.slice(from, to), 'NFKC'), this.spec.lowercase, Infinity);
      if (tokens.length > 0 && part.length > 0) {
        junction = tokens.length;
      }
      for (const t of part) {
        tokens.push(t);
      }
    }
    return { tokens, junction };
  }

  /** The ids of kept tokens: theirs, then the bigrams of each token and the next where it `follows` (null: all do). */
  idsOf(tokens, follows) {
    const out = tokens.map((t) => this.id(t));
    if (this.spec.bigrams) {
      for (let k = 0; k + 1 < tokens.length; k++) {
        if (follows === null || follows[k + 1]) {
          out.push(this.id(`${tokens[k]} ${tokens[k + 1]}`));
        }
      }
    }
    return out;
  }

  id(token) {
    const id = this.ids.get(token);
    return id !== undefined ? id : this.firstBucket + (fnv1a32(token) % this.spec.hashBuckets);
  }
}

/**
 * The tokens of `ranges` of a text's tokens ({tokens, junction} of allTokens), and which of them `follows` the one
 * before in the text, so that a bigram joins them: not across the gap between two ranges, nor across the junction of
 * two stretches.
 */
function keep(all, ranges) {
  const tokens = [];
  const follows = [];
  let previous = -2;
  for (const [from, to] of ranges) {
    for (let t = from; t < to; t++) {
      tokens.push(all.tokens[t]);
      follows.push(t === previous + 1 && t !== all.junction);
      previous = t;
    }
  }
  return { tokens, follows };
}

/** §4.4 over the normalized text: lower-cases each code point (§4.3) as it reads it, and splits it into tokens. */
function scanWords(s, lower, maxTokens) {
  const tokens = [];
  let word = '';
  const n = s.length;
  let i = 0;
  while (i < n && tokens.length < maxTokens) {
    let c = s.codePointAt(i);
    i += c > 0xffff ? 2 : 1;
    if (lower) {
      if (c === CAPITAL_I_WITH_DOT_ABOVE) {
        word += 'i\u0307'; // lower-cases to a letter and a mark, both WORD
        continue;
      }
      c = lowerCase(c);
      if (c === FINAL_SIGMA) {
        c = SIGMA;
      }
    }
    switch (classOf(c)) {
      case WORD:
        word += String.fromCodePoint(c);
        break;
      case WORD_MARK:
        if (word !== '') {
          word += String.fromCodePoint(c); // a mark with no word to attach to (U+FE0F after an emoji) is dropped
        }
        break;
      case APOSTROPHE:
        if (word !== '' && classAfterFormat(s, i, lower) === WORD) {
          word += "'"; // inside a word it stays, as U+0027
          break;
        }
        if (word !== '') {
          tokens.push(word);
          word = '';
        }
        if (tokens.length < maxTokens) {
          tokens.push(String.fromCodePoint(c));
        }
        break;
      case SINGLE:
        if (word !== '') {
          tokens.push(word);
          word = '';
        }
        if (tokens.length < maxTokens) {
          tokens.push(String.fromCodePoint(c));
        }
        break;
      case FORMAT:
        break; // deleted: it neither splits nor joins
      default: // SEPARATOR, UNASSIGNED
        if (word !== '') {
          tokens.push(word);
          word = '';
        }
    }
  }
  if (word !== '' && tokens.length < maxTokens) {
    tokens.push(word);
  }
  return tokens;
}

/** The class of the first code point at or after `from` that is not FORMAT (a mark counts as WORD). */
function classAfterFormat(s, from, lower) {
  for (let j = from; j < s.length;) {
    let c = s.codePointAt(j);
    j += c > 0xffff ? 2 : 1;
    if (lower) {
      c = lowerCase(c); // U+0130 gives 'i', the first of its two code points, as it should here
    }
    const k = classOf(c);
    if (k !== FORMAT) {
      return k === WORD_MARK ? WORD : k;
    }
  }
  return -1;
}

/** 32-bit FNV-1a over the UTF-8 bytes of `token`, unsigned (§4.5); a lone surrogate counts as '?', as in Java. */
export function fnv1a32(token) {
  let h = FNV_OFFSET_BASIS;
  for (let j = 0; j < token.length; j++) {
    const c = token.charCodeAt(j);
    if (c < 0x80) {
      h = Math.imul(h ^ c, FNV_PRIME);
    } else if (c < 0x800) {
      h = Math.imul(h ^ (0xc0 | (c >>> 6)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | (c & 0x3f)), FNV_PRIME);
    } else if (c < 0xd800 || c > 0xdfff) {
      h = Math.imul(h ^ (0xe0 | (c >>> 12)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | ((c >>> 6) & 0x3f)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | (c & 0x3f)), FNV_PRIME);
    } else if (isHigh(c) && j + 1 < token.length && isLow(token.charCodeAt(j + 1))) {
      const cp = token.codePointAt(j++);
      h = Math.imul(h ^ (0xf0 | (cp >>> 18)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | ((cp >>> 12) & 0x3f)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | ((cp >>> 6) & 0x3f)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | (cp & 0x3f)), FNV_PRIME);
    } else {
      h = Math.imul(h ^ 0x3f, FNV_PRIME);
    }
  }
  return h >>> 0;
}

/** sentikit-wordpiece-v1 (docs/model-format.md §8), as dev.sentikit.text.WordPieceEncoder. */
class WordPieceEncoder extends BaseEncoder {
  constructor(spec, vocabulary, ids) {
    super(spec, vocabulary, ids);
    const wp = spec.wordPiece;
    const requireId = (field, t) => {
      if (t === wp.padToken) {
        return PAD_ID;
      }
      const id = ids.get(t);
      if (id === undefined) {
        throw new Error(`the vocabulary has no entry for the ${field} '${t}' (${vocabulary.length} entries)`);
      }
      return id;
    };
    this.unkId = requireId('unk_token', wp.unkToken);
    this.clsId = requireId('cls_token', wp.clsToken);
    this.sepId = requireId('sep_token', wp.sepToken);
    this.specials = wp.specialTokens;
    this.specialIds = wp.specialTokens.map((t) => requireId('special_tokens', t));
  }

  get idSpace() {
    return 1 + this.vocabulary.length;
  }

  /**
   * The words of BERT's basic tokenization and the special tokens, of which at least one piece is kept (§8.7): of
   * the first pieces, or of those the truncation keeps.
   */
  tokenize(text) {
    requireText(text);
    if (this.keepsHead) {
      return this.scan(text, this.headStretch(text), this.room, true).words;
    }
    const all = this.scan(text, this.allStretches(text), Infinity, true);
    return wordsOf(all.words, all.wordOf, keptRanges(this.spec.truncation, all.ids.length, this.room));
  }

  /**
   * The words without the vocabulary, as Java's TextEncoder.tokenize(text, spec) (what explanations leave out one at a
   * time): at most max_tokens − 2 of them, each counted as one piece, or those the truncation keeps as if each were
   * one piece.
   */
  words(text) {
    requireText(text);
    if (this.keepsHead) {
      return this.scan(text, this.headStretch(text), this.room, false).words;
    }
    const all = this.scan(text, this.allStretches(text), Infinity, false);
    return wordsOf(all.words, null, keptRanges(this.spec.truncation, all.words.length, this.room));
  }

  /** The ids of a text: [CLS], the max_tokens − 2 pieces the truncation keeps (the first ones for head), [SEP] (§8.7). */
  encode(text) {
    requireText(text);
    if (this.keepsHead) {
      const { ids } = this.scan(text, this.headStretch(text), this.room, true);
      return this.framed(ids, [[0, ids.length]]);
    }
    const all = this.scan(text, this.allStretches(text), Infinity, true);
    return this.framed(all.ids, keptRanges(this.spec.truncation, all.ids.length, this.room));
  }

  /**
   * Reads a text as a model does (§4.8, §8.7), as Java's TextEncoder.read: `{windows, coverage}`, the ids of each
   * window, each between [CLS] and [SEP] (one with `maxWindows` 1: the ids of encode), and how much of the text they
   * read (see coverage in long-text.js).
   */
  read(text, maxWindows = 1) {
    requireText(text);
    checkMaxWindows(maxWindows);
    const { ids } = this.scan(text, this.allStretches(text), Infinity, true);
    const ranges = maxWindows === 1 ? keptRanges(this.spec.truncation, ids.length, this.room)
      : windows(ids.length, this.room, maxWindows);
    const rows = maxWindows === 1 ? [this.framed(ids, ranges)] : ranges.map((w) => this.framed(ids, [w]));
    return Object.freeze({
      windows: rows, coverage: coverage(union(ranges), ids.length, rows.length, text.length > this.spec.maxChars),
    });
  }

  /** The one stretch head truncation reads: the first max_chars code units (§8.3). */
  headStretch(text) {
    return stretches(text, this.spec.maxChars, TRUNCATION_HEAD);
  }

  /** The stretches the truncation reads (§4.8). */
  allStretches(text) {
    return stretches(text, this.spec.maxChars, this.spec.truncation);
  }

  /** [CLS], the pieces of `ranges`, [SEP]: what the model reads. */
  framed(pieces, ranges) {
    const out = [this.clsId];
    for (const [from, to] of ranges) {
      for (let p = from; p < to; p++) {
        out.push(pieces[p]);
      }
    }
    out.push(this.sepId);
    return out;
  }

  /**
   * Steps 8.4 to 8.7 over the stretches [from, to) of `text`, one after another, keeping at most `limit` pieces:
   * `{ids, words, wordOf}`, the pieces' ids (without [CLS] and [SEP]), the words and special tokens of which a piece
   * is kept, and the index in `words` of each piece. Without `wordPiece` no vocabulary is used: each word is one
   * piece, and `ids` stays empty.
   */
  scan(text, parts, limit, wordPiece) {
    const wp = this.spec.wordPiece;
    const ids = [];
    const words = [];
    const wordOf = [];
    let pieces = 0;
    const word = (w) => {
      words.push(w);
      if (!wordPiece) {
        pieces++;
        return;
      }
      const p = this.wordPiece(w);
      const kept = Math.min(p.length, limit - pieces);
      for (let k = 0; k < kept; k++) {
        ids.push(p[k]);
        wordOf.push(words.length - 1);
      }
      pieces += kept;
    };
    for (const [from, end] of parts) {
      let at = from;
      while (at < end && pieces < limit) {
        const special = this.nextSpecial(text, at, end);
        const stretchEnd = special === null ? end : special.at;
        if (stretchEnd > at) {
          const normalized = normalizeStretch(text.slice(at, stretchEnd), this.spec.lowercase, wp);
          // §8.6: whitespace separates words and is dropped; each punctuation code point is a word of its own.
          let start = -1;
          for (let i = 0; i < normalized.length && pieces < limit;) {
            const cp = normalized.codePointAt(i);
            const next = i + (cp > 0xffff ? 2 : 1);
            if (isBertWhitespace(cp)) {
              if (start >= 0) {
                word(normalized.slice(start, i));
                start = -1;
              }
            } else if (isBertPunctuation(cp)) {
              if (start >= 0) {
                word(normalized.slice(start, i));
                start = -1;
              }
              if (pieces < limit) {
                word(normalized.slice(i, next));
              }
            } else if (start < 0) {
              start = i;
            }
            i = next;
          }
          if (start >= 0 && pieces < limit) {
            word(normalized.slice(start));
          }
        }
        if (special === null) {
          break;
        }
        if (pieces < limit) {
          words.push(this.specials[special.index]);
          if (wordPiece) {
            ids.push(this.specialIds[special.index]);
            wordOf.push(words.length - 1);
          }
          pieces++;
        }
        at = stretchEnd + this.specials[special.index].length;
      }
    }
    return { ids, words, wordOf };
  }

  /** The first special token at or after `from` that ends by `to`; at one place the longest (§8.4). */
  nextSpecial(s, from, to) {
    const specials = this.specials;
    if (specials.length === 0) {
      return null;
    }
    for (let i = from; i < to; i++) {
      let best = -1;
      for (let k = 0; k < specials.length; k++) {
        const t = specials[k];
        if (i + t.length <= to && s.startsWith(t, i) && (best < 0 || t.length > specials[best].length)) {
          best = k;
        }
      }
      if (best >= 0) {
        return { at: i, index: best };
      }
    }
    return null;
  }

  /** Greedy longest-match WordPiece of one word (§8.7); a word that cannot be split is the unknown token. */
  wordPiece(w) {
    const wp = this.spec.wordPiece;
    let codePoints = 0;
    for (let i = 0; i < w.length; i++) {
      if (!isLow(w.charCodeAt(i)) || i === 0 || !isHigh(w.charCodeAt(i - 1))) {
        codePoints++;
      }
    }
    if (codePoints > wp.maxInputCharsPerWord) {
      return [this.unkId];
    }
    const out = [];
    let start = 0;
    while (start < w.length) {
      let end = w.length;
      let id;
      while (end > start) {
        const piece = start > 0 ? wp.continuingSubwordPrefix + w.slice(start, end) : w.slice(start, end);
        id = this.ids.get(piece);
        if (id !== undefined) {
          break;
        }
        end--;
        if (end > start && isLow(w.charCodeAt(end)) && isHigh(w.charCodeAt(end - 1))) {
          end--;
        }
      }
      if (id === undefined) {
        return [this.unkId];
      }
      out.push(id);
      start = end;
    }
    return out;
  }
}

/**
 * The words of which at least one piece lies in `ranges`, in order, once each: `wordOf[p]` is the word of piece p
 * (null: piece p is word p).
 */
function wordsOf(words, wordOf, ranges) {
  const out = [];
  let last = -1;
  for (const [from, to] of ranges) {
    for (let p = from; p < to; p++) {
      const w = wordOf === null ? p : wordOf[p];
      if (w !== last) {
        out.push(words[w]);
        last = w;
      }
    }
  }
  return out;
}

/** BertNormalizer on one stretch (§8.5): clean_text, handle_chinese_chars, strip_accents, lowercase. */
function normalizeStretch(stretch, lowercase, wp) {
  let out = '';
  let ascii = true;
  for (let i = 0; i < stretch.length;) {
    let cp = stretch.codePointAt(i);
    i += cp > 0xffff ? 2 : 1;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      cp = 0xfffd; // a lone surrogate: not a character, read as the replacement character
    }
    if (wp.cleanText) {
      if (cp === 0 || cp === 0xfffd || isBertControl(cp)) {
        continue;
      }
      if (isBertWhitespace(cp)) {
        cp = 0x20;
      }
    }
    if (wp.handleChineseChars && isBertChinese(cp)) {
      out += ` ${String.fromCodePoint(cp)} `;
      ascii = false;
    } else {
      out += String.fromCodePoint(cp);
      ascii = ascii && cp < 0x80;
    }
  }
  if (wp.stripAccents && !ascii) {
    const nfd = normalize(out, 'NFD');
    out = '';
    for (let i = 0; i < nfd.length;) {
      const cp = nfd.codePointAt(i);
      i += cp > 0xffff ? 2 : 1;
      if (!isBertNonspacingMark(cp)) {
        out += String.fromCodePoint(cp);
      }
    }
  }
  if (lowercase) {
    let lowered = '';
    for (let i = 0; i < out.length;) {
      const cp = out.codePointAt(i);
      i += cp > 0xffff ? 2 : 1;
      lowered += cp === CAPITAL_I_WITH_DOT_ABOVE ? 'i\u0307' : String.fromCodePoint(lowerCase(cp));
    }
    out = lowered;
  }
  return out;
}

function requireText(text) {
  if (typeof text !== 'string') {
    throw new TypeError(`a text must be a string, got ${text === null ? 'null' : typeof text}`);
  }
}
