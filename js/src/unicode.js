// The character data the encoders need, decoded once from unicode-data.js: Java 17's Unicode 13.0, the data of
// model format 1 (docs/model-format.md §7), not the JavaScript engine's own (Unicode 15.1 in Node 20), so that
// every code point is read as the Java encoder reads it.
import {
  BERT_CONTROL,
  BERT_NONSPACING_MARK,
  BERT_PUNCTUATION,
  BERT_WHITESPACE,
  CLASS_RUNS,
  LOWER_CASE_RUNS,
} from './unicode-data.js';

/** The classes of §4.4, as CLASS_RUNS names them (A … G). */
export const WORD = 0;
export const WORD_MARK = 1;
export const APOSTROPHE = 2;
export const SINGLE = 3;
export const FORMAT = 4;
export const SEPARATOR = 5;
/** A SEPARATOR that Unicode 13.0 leaves unassigned: NFKC, NFD and lower-casing leave it as it is. */
export const UNASSIGNED = 6;

const MAX_CODE_POINT = 0x10ffff;

/** The class of each code point: 1.1 MB, decoded from about 4,000 runs. */
const CLASSES = (() => {
  const classes = new Uint8Array(MAX_CODE_POINT + 1);
  let at = 0;
  let digits = 0;
  for (let i = 0; i < CLASS_RUNS.length; i++) {
    const c = CLASS_RUNS.charCodeAt(i);
    if (c >= 0x41 && c <= 0x47) {
      const length = parseInt(CLASS_RUNS.slice(digits, i), 36);
      classes.fill(c - 0x41, at, at + length);
      at += length;
      digits = i + 1;
    }
  }
  if (at !== MAX_CODE_POINT + 1) {
    throw new Error(`unicode-data.js: the class runs cover ${at} code points, expected ${MAX_CODE_POINT + 1}`);
  }
  return classes;
})();

/** Each code point that has a simple lower case, to it. */
const LOWER = (() => {
  const lower = new Map();
  for (const run of LOWER_CASE_RUNS.split(';')) {
    const [first, delta, count = 1, step = 1] = run.split(',').map((v) => parseInt(v, 36));
    for (let k = 0; k < count; k++) {
      lower.set(first + k * step, first + k * step + delta);
    }
  }
  return lower;
})();

/** The class (§4.4) of a code point, as WordsEncoder decides it on Java 17. */
export function classOf(cp) {
  return CLASSES[cp];
}

/** The simple lower case of a code point (Java's Character.toLowerCase(int)); itself when it has none. */
export function lowerCase(cp) {
  if (cp < 0x80) {
    return cp >= 0x41 && cp <= 0x5a ? cp + 32 : cp;
  }
  const lower = LOWER.get(cp);
  return lower === undefined ? cp : lower;
}

function isSurrogate(unit) {
  return unit >= 0xd800 && unit <= 0xdfff;
}

/**
 * Unicode normalization ('NFKC' or 'NFD') as Java 17's java.text.Normalizer gives it. Unicode's stability policy
 * keeps the normalization of every code point assigned in 13.0 the same in later versions, so the engine's own
 * normalize() is right on them; a code point that 13.0 leaves unassigned (and a lone surrogate) is, for Java, a
 * starter without a decomposition that composes with nothing, so the text is normalized piece by piece around it,
 * and it is kept as it is.
 */
export function normalize(s, form) {
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    return s;
  }
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length;) {
    const cp = s.codePointAt(i);
    const width = cp > 0xffff ? 2 : 1;
    if (CLASSES[cp] === UNASSIGNED || isSurrogate(cp)) {
      out += s.slice(from, i).normalize(form) + s.slice(i, i + width);
      from = i + width;
    }
    i += width;
  }
  return from === 0 ? s.normalize(form) : out + s.slice(from).normalize(form);
}

/** Whether cp lies in one of the inclusive [first, last] ranges of table (sorted). */
function inRanges(table, cp) {
  let lo = 0;
  let hi = table.length;
  // The number of bounds <= cp, less one when cp is a range's first bound: odd exactly inside a range.
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (table[mid] <= cp) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo > 0 && table[lo - 1] === cp) {
    return true;
  }
  return (lo & 1) === 1;
}

/** BertNormalizer's is_control (§8.8): Cc, Cf or Co of Unicode 8.0, except tab, line feed and carriage return. */
export function isBertControl(cp) {
  if (cp === 0x09 || cp === 0x0a || cp === 0x0d) {
    return false;
  }
  return inRanges(BERT_CONTROL, cp);
}

/** The White_Space property (§8.8). */
export function isBertWhitespace(cp) {
  if (cp <= 0x20) {
    return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d);
  }
  return cp >= 0x85 && inRanges(BERT_WHITESPACE, cp);
}

/** BertPreTokenizer's punctuation (§8.8): ASCII punctuation and symbols, or P* of Unicode 8.0. */
export function isBertPunctuation(cp) {
  if (cp < 0x80) {
    return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126);
  }
  return inRanges(BERT_PUNCTUATION, cp);
}

/** Mn of Unicode 8.0, what strip_accents deletes after NFD (§8.8). */
export function isBertNonspacingMark(cp) {
  return cp >= 0x300 && inRanges(BERT_NONSPACING_MARK, cp);
}

/** The CJK ideographs that handle_chinese_chars spaces (§8.8), by the ranges of Hugging Face tokenizers. */
export function isBertChinese(cp) {
  return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x20000 && cp <= 0x2a6df)
    || (cp >= 0x2a700 && cp <= 0x2b73f) || (cp >= 0x2b740 && cp <= 0x2b81f) || (cp >= 0x2b920 && cp <= 0x2ceaf)
    || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x2f800 && cp <= 0x2fa1f);
}
