// The input of `sentikit --input`: UTF-8 bytes read as the Java CLI reads them (cli's Utf8Input), so that one
// bad byte costs one line, not the run, and the same text and the same report come out. Each byte sequence that is
// not UTF-8 becomes one U+FFFD, cut as Java's UTF-8 decoder cuts malformed input (a UTF-8-encoded surrogate,
// ED A0 80, is one sequence; a sequence cut short by the end of the input is one); lines end at LF, CRLF or CR, and
// a byte-order mark at the start of a line is dropped; lines with bad bytes and lines holding NUL are counted.

/** Bad lines named in the report; the rest are counted. */
export const LINES_LISTED = 10;

function isNotContinuation(b) {
  return (b & 0xc0) !== 0x80;
}

/**
 * The next step of Java's UTF-8 decoder (sun.nio.cs.UTF_8) at bytes[at]: {char: string, length} for a character,
 * {bad: length} for a malformed sequence, or null when the bytes end inside a sequence that may still be complete.
 */
export function decodeStep(bytes, at, end) {
  const b1 = bytes[at];
  const left = end - at;
  if (b1 < 0x80) {
    return { char: String.fromCharCode(b1), length: 1 };
  }
  if (b1 >= 0xc2 && b1 <= 0xdf) {
    if (left < 2) {
      return null;
    }
    if (isNotContinuation(bytes[at + 1])) {
      return { bad: 1 };
    }
    return { char: String.fromCharCode(((b1 & 0x1f) << 6) | (bytes[at + 1] & 0x3f)), length: 2 };
  }
  if ((b1 & 0xf0) === 0xe0) {
    const e0Low = (b2) => b1 === 0xe0 && (b2 & 0xe0) === 0x80; // E0 80..9F: overlong
    if (left < 3) {
      if (left > 1 && (e0Low(bytes[at + 1]) || isNotContinuation(bytes[at + 1]))) {
        return { bad: 1 };
      }
      return null;
    }
    const b2 = bytes[at + 1];
    const b3 = bytes[at + 2];
    if (e0Low(b2) || isNotContinuation(b2) || isNotContinuation(b3)) {
      return { bad: e0Low(b2) || isNotContinuation(b2) ? 1 : 2 };
    }
    const c = ((b1 & 0x0f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
    if (c >= 0xd800 && c <= 0xdfff) {
      return { bad: 3 }; // a surrogate, encoded: one sequence of three bytes
    }
    return { char: String.fromCharCode(c), length: 3 };
  }
  if ((b1 & 0xf8) === 0xf0) {
    const bad2 = (b2) => (b1 === 0xf0 && (b2 < 0x90 || b2 > 0xbf)) || (b1 === 0xf4 && (b2 & 0xf0) !== 0x80)
      || isNotContinuation(b2);
    if (left < 4) {
      if (b1 > 0xf4 || (left > 1 && bad2(bytes[at + 1]))) {
        return { bad: 1 };
      }
      if (left > 2 && isNotContinuation(bytes[at + 2])) {
        return { bad: 2 };
      }
      return null;
    }
    const b2 = bytes[at + 1];
    const b3 = bytes[at + 2];
    const b4 = bytes[at + 3];
    const uc = ((b1 & 0x07) << 18) | ((b2 & 0x3f) << 12) | ((b3 & 0x3f) << 6) | (b4 & 0x3f);
    if (isNotContinuation(b2) || isNotContinuation(b3) || isNotContinuation(b4) || uc < 0x10000 || uc > 0x10ffff) {
      if (b1 > 0xf4 || bad2(b2)) {
        return { bad: 1 };
      }
      return { bad: isNotContinuation(b3) ? 2 : 3 };
    }
    return { char: String.fromCodePoint(uc), length: 4 };
  }
  return { bad: 1 }; // 80..C1, F8..FF
}

/** Decodes bytes as a whole, each bad sequence as U+FFFD, as Java's decoder with CodingErrorAction.REPLACE. */
export function decodeUtf8(bytes) {
  let out = '';
  let at = 0;
  while (at < bytes.length) {
    const step = decodeStep(bytes, at, bytes.length);
    if (step === null) {
      out += '\ufffd'; // cut short by the end: the rest is one malformed sequence
      break;
    }
    if (step.bad) {
      out += '\ufffd';
      at += step.bad;
    } else {
      out += step.char;
      at += step.length;
    }
  }
  return out;
}

function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}

function count(n, noun) {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

/** A line with bytes that are not UTF-8: where its first bad sequence began, and how many it had. */
class BadLine {
  constructor(line, column, bytes) {
    this.line = line;
    this.column = column;
    this.bytes = bytes;
    this.sequences = 1;
  }

  describe() {
    return `${this.sequences === 1 ? 'the bytes ' : `${this.sequences} bad sequences, the first `}${this.bytes} at `
      + `character ${this.column}`;
  }
}

/**
 * Lines of a byte stream (an async iterable of Uint8Array chunks, such as a Node Readable), decoded as above. Read
 * them with `for await (const batch of lines.batches())`: each batch the lines that one chunk completed, each
 * {text, number, bad} where `bad` is the line's BadLine or null.
 */
export class Utf8Lines {
  /**
   * @param {AsyncIterable<Uint8Array>} chunks the bytes
   * @param {string} name what the messages call the input: the file as given, or 'standard input'
   */
  constructor(chunks, name) {
    this.chunks = chunks;
    this.name = name;
    this.line = 1;
    this.column = 1;
    this.text = '';
    this.lineStart = true;
    this.afterCr = false;
    this.current = null;
    this.listed = [];
    this.badLines = 0;
    this.badSequences = 0;
    this.nulListed = [];
    this.nulLines = 0;
    this.lastNulLine = 0;
  }

  async* batches() {
    let pending = new Uint8Array(0);
    for await (const chunk of this.chunks) {
      const bytes = pending.length === 0 ? chunk : concat(pending, chunk);
      const out = [];
      const at = this.decode(bytes, false, out);
      pending = bytes.slice(at);
      if (out.length > 0) {
        yield out;
      }
    }
    const out = [];
    this.decode(pending, true, out);
    if (!this.lineStart || this.text.length > 0) {
      out.push(this.finish()); // a last line without a line end
    }
    if (out.length > 0) {
      yield out;
    }
  }

  /** Decodes what it can of bytes; returns where it stopped (an incomplete sequence stays for the next chunk). */
  decode(bytes, end, out) {
    let at = 0;
    while (at < bytes.length) {
      const step = decodeStep(bytes, at, bytes.length);
      if (step === null) {
        if (!end) {
          return at;
        }
        this.bad(bytes.subarray(at));
        return bytes.length;
      }
      if (step.bad) {
        this.bad(bytes.subarray(at, at + step.bad));
        at += step.bad;
        continue;
      }
      at += step.length;
      this.char(step.char, out);
    }
    return at;
  }

  char(c, out) {
    if (c === '\r') {
      out.push(this.finish());
      this.line++;
      this.column = 1;
      this.afterCr = true;
      return;
    }
    if (c === '\n') {
      if (!this.afterCr) {
        out.push(this.finish());
        this.line++;
      }
      this.column = 1;
      this.afterCr = false;
      return;
    }
    this.afterCr = false;
    if (c === '\0' && this.lastNulLine !== this.line) {
      this.lastNulLine = this.line;
      this.nulLines++;
      if (this.nulListed.length < LINES_LISTED) {
        this.nulListed.push(this.line);
      }
    }
    this.column += c.length;
    if (this.lineStart && c === '\ufeff') {
      this.lineStart = false; // a byte-order mark at the start of a line is dropped
      return;
    }
    this.lineStart = false;
    this.text += c;
  }

  bad(sequence) {
    this.badSequences++;
    if (this.current !== null && this.current.line === this.line) {
      this.current.sequences++;
    } else {
      this.current = new BadLine(this.line, this.column, hex(sequence));
      this.badLines++;
      if (this.listed.length < LINES_LISTED) {
        this.listed.push(this.current);
      }
    }
    this.afterCr = false;
    this.lineStart = false;
    this.column++;
    this.text += '\ufffd';
  }

  finish() {
    const line = {
      text: this.text,
      number: this.line,
      bad: this.current !== null && this.current.line === this.line ? this.current : null,
    };
    this.text = '';
    this.lineStart = true;
    return line;
  }

  /** The error --strict gives for a bad line: the input, the line, the bytes, and what to do. */
  strictError(bad) {
    return `${this.name} line ${bad.line}: not valid UTF-8 (${bad.describe()}). Re-save the file as UTF-8, or leave `
      + 'out --strict to analyze such lines with each bad sequence replaced by U+FFFD';
  }

  /** What the end of the run says on standard error about bad bytes and NUL characters: at most two lines. */
  report() {
    const lines = [];
    if (this.badLines > 0) {
      const one = this.badLines === 1;
      let b = `warning: ${this.name}: ${count(this.badLines, 'line')} ${one ? 'was' : 'were'} not valid UTF-8 and `
        + `${one ? 'was' : 'were'} analyzed with each bad byte sequence replaced by U+FFFD `
        + `(${count(this.badSequences, 'sequence')}): `;
      b += this.listed.map((l, i) => `${i === 0 ? 'line ' : ', line '}${l.line} (${l.describe()})`).join('');
      if (this.badLines > this.listed.length) {
        b += ` and ${(this.badLines - this.listed.length).toLocaleString('en-US')} more`;
      }
      b += '. Re-save the file as UTF-8 to analyze those lines as written; --strict stops at the first one.';
      lines.push(b);
    }
    if (this.nulLines > 0) {
      let b = `warning: ${this.name}: ${count(this.nulLines, 'line')} ${this.nulLines === 1 ? 'holds' : 'hold'} NUL `
        + `characters, analyzed as separators: line${this.nulListed.length === 1 ? ' ' : 's '}`;
      b += this.nulListed.join(', ');
      if (this.nulLines > this.nulListed.length) {
        b += ` and ${(this.nulLines - this.nulListed.length).toLocaleString('en-US')} more`;
      }
      b += '. Text files hold none; many of them usually mean a UTF-16 file: re-save it as UTF-8.';
      lines.push(b);
    }
    return lines;
  }
}

function concat(a, b) {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
