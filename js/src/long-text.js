// What both encoder schemes share for texts longer than a model reads (docs/model-format.md §4.8, §8.7), as Java's
// dev.sentikit.text.LongText, Truncation.keptRanges and Coverage: which code units are read, which tokens are kept,
// the windows of a windowed read, and how much of a text a read covers. Ranges are [from, to).
import { KEEP_HEAD, KEEP_TAIL } from './encoder-spec.js';

function isHigh(unit) {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLow(unit) {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** `end`, or one less when it would split a surrogate pair. */
function headEnd(text, end) {
  return end > 0 && end < text.length && isHigh(text.charCodeAt(end - 1)) && isLow(text.charCodeAt(end)) ? end - 1
    : end;
}

/** `start`, or one more when it would split a surrogate pair. */
function tailStart(text, start) {
  return start > 0 && start < text.length && isLow(text.charCodeAt(start)) && isHigh(text.charCodeAt(start - 1))
    ? start + 1 : start;
}

/**
 * The stretches of `text` that are read, one or two [from, to) in code units: the first `maxChars` (head), the last
 * (tail), or the first ⌊maxChars / 2⌋ and the last maxChars − ⌊maxChars / 2⌋ (head+tail); the whole text when it is
 * no longer than `maxChars`. A cut that would split a surrogate pair moves to leave the pair out.
 */
export function stretches(text, maxChars, truncation) {
  const n = text.length;
  if (n <= maxChars) {
    return [[0, n]];
  }
  switch (truncation.keep) {
    case KEEP_HEAD: return [[0, headEnd(text, maxChars)]];
    case KEEP_TAIL: return [[tailStart(text, n - maxChars), n]];
    default: {
      const half = Math.floor(maxChars / 2);
      return [[0, headEnd(text, half)], [tailStart(text, n - (maxChars - half)), n]];
    }
  }
}

/**
 * The token ranges kept of a text of `tokens` tokens when the model reads `room`: one range, or two for head+tail
 * when the text is longer than the room.
 */
export function keptRanges(truncation, tokens, room) {
  if (tokens <= room) {
    return [[0, tokens]];
  }
  switch (truncation.keep) {
    case KEEP_HEAD: return [[0, room]];
    case KEEP_TAIL: return [[tokens - room, tokens]];
    default: {
      const head = Math.min(truncation.headTokens, room);
      return head === room ? [[0, room]] : [[0, head], [tokens - (room - head), tokens]];
    }
  }
}

/**
 * The windows of a text of `tokens` tokens read `room` at a time: one when it fits; else windows of `room` tokens
 * that start every room − ⌊room / 2⌋ tokens (Hugging Face tokenizers' overflowing tokens with stride ⌊room / 2⌋),
 * the last ending at the text's end, possibly shorter. Past `maxWindows` of them: the first maxWindows − 1 and the
 * last `room` tokens.
 */
export function windows(tokens, room, maxWindows) {
  if (tokens <= room) {
    return [[0, tokens]];
  }
  const step = room - Math.floor(room / 2);
  const out = [];
  for (let start = 0; ; start += step) {
    const end = Math.min(start + room, tokens);
    out.push([start, end]);
    if (end === tokens) {
      break;
    }
  }
  if (out.length > maxWindows) {
    return [...out.slice(0, maxWindows - 1), [tokens - room, tokens]];
  }
  return out;
}

/** The tokens that ranges sorted by their start hold together, each counted once. */
export function union(ranges) {
  let total = 0;
  let covered = 0;
  for (const [from, to] of ranges) {
    const start = Math.max(from, covered);
    if (to > start) {
      total += to - start;
      covered = to;
    }
  }
  return total;
}

/**
 * How much of a text a model read, as Java's Coverage (and the "read" of bin/sentiment's JSON lines): `tokensRead`
 * of its `tokens` (the encoder's tokens: words, or WordPiece pieces without [CLS] and [SEP], counted in the part
 * that was read), in `windows` windows (1: read once), `charsCut` when the text is longer than max_chars so that the
 * rest was not even counted; `cut` when the model read less than the whole text, and `how`: 'whole', 'cut' (once,
 * as the model's truncation says) or 'windows'.
 */
export function coverage(tokensRead, tokens, windowCount, charsCut, script = null, scriptKnown = true) {
  if (tokensRead < 0 || tokens < tokensRead || windowCount < 1) {
    throw new RangeError(`invalid coverage: ${tokensRead} of ${tokens} tokens in ${windowCount} windows`);
  }
  const cut = tokensRead < tokens || charsCut;
  return Object.freeze({
    tokensRead, tokens, windows: windowCount, charsCut, cut, how: windowCount > 1 ? 'windows' : cut ? 'cut' : 'whole',
    script, scriptKnown,
  });
}

/** `c` with the script check of its text (`checkScript` of scripts.js). */
export function withScript(c, check) {
  return coverage(c.tokensRead, c.tokens, c.windows, c.charsCut, check.script, check.known);
}

/** Checks a bound of windows: an integer >= 1 (1 reads a text once, cut as the model says). */
export function checkMaxWindows(maxWindows) {
  if (!Number.isSafeInteger(maxWindows) || maxWindows < 1) {
    throw new RangeError(`maxWindows must be an integer >= 1 (1 = read once, cut as the model says), got ${maxWindows}`);
  }
  return maxWindows;
}
