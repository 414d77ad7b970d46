// The encoder specification of a model card (docs/model-format.md §2.1 and §8.1), checked as the Java reader checks
// it (dev.sentikit.text.EncoderSpec, WordPieceSpec): a field left out or null is refused, never read as false or 0.

export const SCHEME_WORDS_V1 = 'sentikit-words-v1';
export const SCHEME_WORDPIECE_V1 = 'sentikit-wordpiece-v1';

/** The truncations of `encoder.truncation` (§4.8): which tokens of a text longer than the model reads are kept. */
export const KEEP_HEAD = 'head';
export const KEEP_TAIL = 'tail';
export const KEEP_HEAD_TAIL = 'head+tail';
/** The first tokens: what a file without `encoder.truncation` (every format-1 file) reads. */
export const TRUNCATION_HEAD = Object.freeze({ keep: KEEP_HEAD, headTokens: null });

/** An encoder specification or card that breaks the format's rules; `field` names the JSON field at fault. */
export class SpecError extends Error {
  constructor(message, field) {
    super(message);
    this.name = 'SpecError';
    this.field = field;
  }
}

function required(object, key, path, type) {
  const field = path ? `${path}.${key}` : key;
  if (!Object.prototype.hasOwnProperty.call(object, key)) {
    throw new SpecError(`the required field '${field}' is missing`, field);
  }
  const value = object[key];
  if (value === null) {
    throw new SpecError(`the field '${field}' is null`, field);
  }
  checkType(value, field, type);
  return value;
}

function checkType(value, field, type) {
  const ok = type === 'integer' ? Number.isSafeInteger(value)
    : type === 'array' ? Array.isArray(value)
      : type === 'object' ? typeof value === 'object' && value !== null && !Array.isArray(value)
        : typeof value === type;
  if (!ok) {
    throw new SpecError(`the field '${field}' should be ${type === 'integer' || type === 'array' || type === 'object'
      ? `an ${type}` : `a ${type}`}, found ${JSON.stringify(value)}`, field);
  }
}

function token(value, field) {
  if (typeof value !== 'string' || value.length === 0) {
    throw new SpecError(`${field} must be a non-empty token, got ${value === '' ? "''" : JSON.stringify(value)}`, field);
  }
  return value;
}

/**
 * Reads and checks the card's `encoder` object; returns a frozen copy with camel-case names:
 * {scheme, lowercase, bigrams, maxTokens, maxChars, hashBuckets, wordPiece, truncation}, where `truncation` is
 * {keep: 'head'|'tail'|'head+tail', headTokens: N or null} (TRUNCATION_HEAD when the card has none).
 *
 * @param {object} json the `encoder` object of a card
 * @param {string} [path] where it lies in the card, for messages ('encoder')
 */
export function readEncoderSpec(json, path = 'encoder') {
  checkType(json, path, 'object');
  const scheme = required(json, 'scheme', path, 'string');
  const lowercase = required(json, 'lowercase', path, 'boolean');
  const bigrams = required(json, 'bigrams', path, 'boolean');
  const maxTokens = required(json, 'max_tokens', path, 'integer');
  const maxChars = required(json, 'max_chars', path, 'integer');
  const hashBuckets = required(json, 'hash_buckets', path, 'integer');
  if (scheme !== SCHEME_WORDS_V1 && scheme !== SCHEME_WORDPIECE_V1) {
    throw new SpecError(`unknown encoder scheme '${scheme}': this version supports ${SCHEME_WORDS_V1} and `
      + `${SCHEME_WORDPIECE_V1}; a newer Sentikit may be needed to run this model`, `${path}.scheme`);
  }
  if (maxTokens < 1) {
    throw new SpecError(`max_tokens must be >= 1, got ${maxTokens}`, `${path}.max_tokens`);
  }
  if (maxChars < 1) {
    throw new SpecError(`max_chars must be >= 1, got ${maxChars}`, `${path}.max_chars`);
  }
  const wp = json.wordpiece ?? null;
  let wordPiece = null;
  if (scheme === SCHEME_WORDS_V1) {
    if (hashBuckets < 1) {
      throw new SpecError(`hash_buckets must be >= 1, got ${hashBuckets}`, `${path}.hash_buckets`);
    }
    if (wp !== null) {
      throw new SpecError(`the ${SCHEME_WORDS_V1} scheme takes no 'wordpiece' settings`, `${path}.wordpiece`);
    }
  } else {
    if (wp === null) {
      throw new SpecError(`the ${SCHEME_WORDPIECE_V1} scheme needs its 'wordpiece' settings`, `${path}.wordpiece`);
    }
    if (hashBuckets !== 0) {
      throw new SpecError(`hash_buckets must be 0 for ${SCHEME_WORDPIECE_V1} (unknown words take the `
        + `unknown-token's id), got ${hashBuckets}`, `${path}.hash_buckets`);
    }
    if (bigrams) {
      throw new SpecError(`${SCHEME_WORDPIECE_V1} has no bigrams`, `${path}.bigrams`);
    }
    if (maxTokens < 2) {
      throw new SpecError(`max_tokens must be >= 2 for ${SCHEME_WORDPIECE_V1} ([CLS] and [SEP] count), got `
        + `${maxTokens}`, `${path}.max_tokens`);
    }
    wordPiece = readWordPieceSpec(wp, `${path}.wordpiece`);
  }
  const truncation = readTruncation(json.truncation ?? null, `${path}.truncation`);
  const room = wordPiece !== null ? maxTokens - 2 : maxTokens;
  if (truncation.headTokens !== null && truncation.headTokens >= room) {
    throw new SpecError(`truncation head+tail:${truncation.headTokens} keeps no tail: the model reads ${room} tokens; `
      + 'give fewer head tokens, or head', `${path}.truncation.head_tokens`);
  }
  return Object.freeze({ scheme, lowercase, bigrams, maxTokens, maxChars, hashBuckets, wordPiece, truncation });
}

/**
 * Reads `encoder.truncation` as Java's dev.sentikit.text.Truncation does: null or absent is head; `keep` is head,
 * tail or head+tail, and `head_tokens` (>= 1) comes with head+tail only.
 */
function readTruncation(json, path) {
  if (json === null) {
    return TRUNCATION_HEAD;
  }
  checkType(json, path, 'object');
  const keep = required(json, 'keep', path, 'string');
  const given = json.head_tokens ?? null;
  if (given !== null) {
    checkType(given, `${path}.head_tokens`, 'integer');
  }
  switch (keep) {
    case KEEP_HEAD:
    case KEEP_TAIL:
      if (given !== null) {
        throw new SpecError(`truncation '${keep}' takes no head_tokens`, `${path}.head_tokens`);
      }
      return keep === KEEP_HEAD ? TRUNCATION_HEAD : Object.freeze({ keep, headTokens: null });
    case KEEP_HEAD_TAIL:
      if (given === null || given < 1) {
        throw new SpecError(`truncation 'head+tail' needs head_tokens >= 1, got ${given}`, `${path}.head_tokens`);
      }
      return Object.freeze({ keep, headTokens: given });
    default:
      throw new SpecError(`unknown truncation '${keep}': expected head, tail or head+tail; a newer Sentikit may be `
        + 'needed to run this model', `${path}.keep`);
  }
}

/** A truncation as Java's Truncation.toString writes it (and the trainer's --truncation takes it): head+tail:N. */
export function truncationName(truncation) {
  return truncation.headTokens === null ? truncation.keep : `${truncation.keep}:${truncation.headTokens}`;
}

/** How many tokens of a text the model reads: the words' max_tokens, or the pieces between [CLS] and [SEP]. */
export function room(spec) {
  return spec.wordPiece !== null ? spec.maxTokens - 2 : spec.maxTokens;
}

function readWordPieceSpec(json, path) {
  checkType(json, path, 'object');
  const spec = {
    cleanText: required(json, 'clean_text', path, 'boolean'),
    handleChineseChars: required(json, 'handle_chinese_chars', path, 'boolean'),
    stripAccents: required(json, 'strip_accents', path, 'boolean'),
    unkToken: token(required(json, 'unk_token', path, 'string'), 'unk_token'),
    clsToken: token(required(json, 'cls_token', path, 'string'), 'cls_token'),
    sepToken: token(required(json, 'sep_token', path, 'string'), 'sep_token'),
    padToken: token(required(json, 'pad_token', path, 'string'), 'pad_token'),
    continuingSubwordPrefix: required(json, 'continuing_subword_prefix', path, 'string'),
    maxInputCharsPerWord: required(json, 'max_input_chars_per_word', path, 'integer'),
    specialTokens: required(json, 'special_tokens', path, 'array'),
  };
  if (spec.maxInputCharsPerWord < 1) {
    throw new SpecError(`max_input_chars_per_word must be >= 1, got ${spec.maxInputCharsPerWord}`,
      `${path}.max_input_chars_per_word`);
  }
  spec.specialTokens.forEach((t) => token(t, 'special_tokens'));
  if (new Set(spec.specialTokens).size !== spec.specialTokens.length) {
    throw new SpecError(`special_tokens lists a token twice: ${JSON.stringify(spec.specialTokens)}`,
      `${path}.special_tokens`);
  }
  if (spec.specialTokens.includes(spec.padToken)) {
    throw new SpecError(`special_tokens must not hold the pad token '${spec.padToken}': id 0 is padding, never part `
      + 'of an encoded text', `${path}.special_tokens`);
  }
  spec.specialTokens = Object.freeze([...spec.specialTokens]);
  return Object.freeze(spec);
}

/** The longest id sequence one text can give: the words, then their bigrams; for WordPiece max_tokens. */
export function maxSequenceLength(spec) {
  return spec.bigrams ? 2 * spec.maxTokens - 1 : spec.maxTokens;
}
