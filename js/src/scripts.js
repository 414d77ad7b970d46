// The writing systems of texts: what docs/model-format.md calls the card's `scripts` (the share of each Unicode
// script among the letters a model was trained on) and the check of one text against them, as Java's
// dev.sentikit.text.Scripts does: a text whose letters are mostly in scripts the model hardly saw is flagged.

/** A script counts as the model's when at least this share of its training letters were in it. */
export const KNOWN_SHARE = 0.01;
/** A text needs this many letters before its script is judged. */
export const MIN_LETTERS = 2;
/** Java reads at most this many code units of a text for the check (EncoderSpec.DEFAULT_MAX_CHARS). */
const MAX_CHARS = 16384;

const LETTER = /\p{L}/u;
const cache = new Map();

/** The script of a letter, as Java's Character.UnicodeScript names it, title-cased (Latin, Han, Cyrillic…). */
function scriptOf(ch) {
  let s = cache.get(ch);
  if (s === undefined) {
    s = SCRIPTS.find((name) => name.re.test(ch))?.name ?? 'Unknown';
    cache.set(ch, s);
  }
  return s;
}

// Java's Character.UnicodeScript, in its order (which decides ties, as in Java), with each one's regular
// expression (the same Unicode Script property; SignWriting is the one whose name is spelled otherwise).
const JAVA_SCRIPTS = ['COMMON', 'LATIN', 'GREEK', 'CYRILLIC', 'ARMENIAN', 'HEBREW', 'ARABIC', 'SYRIAC', 'THAANA',
  'DEVANAGARI', 'BENGALI', 'GURMUKHI', 'GUJARATI', 'ORIYA', 'TAMIL', 'TELUGU', 'KANNADA', 'MALAYALAM', 'SINHALA',
  'THAI', 'LAO', 'TIBETAN', 'MYANMAR', 'GEORGIAN', 'HANGUL', 'ETHIOPIC', 'CHEROKEE', 'CANADIAN_ABORIGINAL',
  'OGHAM', 'RUNIC', 'KHMER', 'MONGOLIAN', 'HIRAGANA', 'KATAKANA', 'BOPOMOFO', 'HAN', 'YI', 'OLD_ITALIC', 'GOTHIC',
  'DESERET', 'INHERITED', 'TAGALOG', 'HANUNOO', 'BUHID', 'TAGBANWA', 'LIMBU', 'TAI_LE', 'LINEAR_B', 'UGARITIC',
  'SHAVIAN', 'OSMANYA', 'CYPRIOT', 'BRAILLE', 'BUGINESE', 'COPTIC', 'NEW_TAI_LUE', 'GLAGOLITIC', 'TIFINAGH',
  'SYLOTI_NAGRI', 'OLD_PERSIAN', 'KHAROSHTHI', 'BALINESE', 'CUNEIFORM', 'PHOENICIAN', 'PHAGS_PA', 'NKO',
  'SUNDANESE', 'BATAK', 'LEPCHA', 'OL_CHIKI', 'VAI', 'SAURASHTRA', 'KAYAH_LI', 'REJANG', 'LYCIAN', 'CARIAN',
  'LYDIAN', 'CHAM', 'TAI_THAM', 'TAI_VIET', 'AVESTAN', 'EGYPTIAN_HIEROGLYPHS', 'SAMARITAN', 'MANDAIC', 'LISU',
  'BAMUM', 'JAVANESE', 'MEETEI_MAYEK', 'IMPERIAL_ARAMAIC', 'OLD_SOUTH_ARABIAN', 'INSCRIPTIONAL_PARTHIAN',
  'INSCRIPTIONAL_PAHLAVI', 'OLD_TURKIC', 'BRAHMI', 'KAITHI', 'MEROITIC_HIEROGLYPHS', 'MEROITIC_CURSIVE',
  'SORA_SOMPENG', 'CHAKMA', 'SHARADA', 'TAKRI', 'MIAO', 'CAUCASIAN_ALBANIAN', 'BASSA_VAH', 'DUPLOYAN', 'ELBASAN',
  'GRANTHA', 'PAHAWH_HMONG', 'KHOJKI', 'LINEAR_A', 'MAHAJANI', 'MANICHAEAN', 'MENDE_KIKAKUI', 'MODI', 'MRO',
  'OLD_NORTH_ARABIAN', 'NABATAEAN', 'PALMYRENE', 'PAU_CIN_HAU', 'OLD_PERMIC', 'PSALTER_PAHLAVI', 'SIDDHAM',
  'KHUDAWADI', 'TIRHUTA', 'WARANG_CITI', 'AHOM', 'ANATOLIAN_HIEROGLYPHS', 'HATRAN', 'MULTANI', 'OLD_HUNGARIAN',
  'SIGNWRITING', 'ADLAM', 'BHAIKSUKI', 'MARCHEN', 'NEWA', 'OSAGE', 'TANGUT', 'MASARAM_GONDI', 'NUSHU', 'SOYOMBO',
  'ZANABAZAR_SQUARE', 'HANIFI_ROHINGYA', 'OLD_SOGDIAN', 'SOGDIAN', 'DOGRA', 'GUNJALA_GONDI', 'MAKASAR',
  'MEDEFAIDRIN', 'ELYMAIC', 'NANDINAGARI', 'NYIAKENG_PUACHUE_HMONG', 'WANCHO', 'YEZIDI', 'CHORASMIAN',
  'DIVES_AKURU', 'KHITAN_SMALL_SCRIPT', 'UNKNOWN'];
const SCRIPTS = JAVA_SCRIPTS.map((n) => ({
  name: n.toLowerCase().split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join(' '),
  re: new RegExp(`^\\p{Script=${n === 'SIGNWRITING' ? 'SignWriting'
    : n.toLowerCase().split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join('_')}}$`, 'u'),
}));

/**
 * The script most of `text`'s letters are in (null when it has fewer than MIN_LETTERS), and whether a model of
 * `profile` ({script: share}) knows it: at least half of the letters in scripts of at least KNOWN_SHARE. True when
 * the profile is null or empty (the model does not say).
 * @param {string} text
 * @param {Object<string, number>|null} profile
 * @returns {{script: string|null, known: boolean}}
 */
export function checkScript(text, profile) {
  const counts = new Map();
  let letters = 0;
  const n = Math.min(text.length, MAX_CHARS);
  for (let i = 0; i < n;) {
    const cp = text.codePointAt(i);
    const ch = String.fromCodePoint(cp);
    i += ch.length;
    if (cp >= 0xD800 && cp <= 0xDFFF) {
      continue; // a lone surrogate is not a letter
    }
    if (LETTER.test(ch)) {
      const s = scriptOf(ch);
      counts.set(s, (counts.get(s) ?? 0) + 1);
      letters++;
    }
  }
  if (letters < MIN_LETTERS) {
    return { script: null, known: true };
  }
  // Java iterates its EnumMap in the order of Character.UnicodeScript; the first largest count wins a tie there.
  let dominant = null;
  let best = -1;
  let known = 0;
  for (const [s, c] of [...counts.entries()].sort((a, b) => order(a[0]) - order(b[0]))) {
    if (c > best) {
      best = c;
      dominant = s;
    }
    if (profile && (profile[s] ?? 0) >= KNOWN_SHARE) {
      known += c;
    }
  }
  const empty = !profile || Object.keys(profile).length === 0;
  return { script: dominant, known: empty || known * 2 >= letters };
}

/** The position of a script in Java's Character.UnicodeScript (the order of NAMES follows it). */
function order(name) {
  const i = SCRIPTS.findIndex((s) => s.name === name);
  return i < 0 ? SCRIPTS.length : i;
}
