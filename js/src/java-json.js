// JSON written as the Java CLI writes it (Jackson's defaults), so that `sentikit` prints the lines `bin/sentiment`
// prints: strings escaped as Jackson escapes them, numbers as Java's Double.toString writes them.

/** A number as Java's Double.toString: 0.5, 1.0, 4.989283011571944E-5 (digits: the shortest that read back). */
export function javaDouble(x) {
  if (Number.isNaN(x)) {
    return 'NaN';
  }
  if (!Number.isFinite(x)) {
    return x > 0 ? 'Infinity' : '-Infinity';
  }
  if (x === 0) {
    return Object.is(x, -0) ? '-0.0' : '0.0';
  }
  const ax = Math.abs(x);
  if (ax >= 1e-3 && ax < 1e7) {
    const s = String(x);
    return s.includes('.') ? s : `${s}.0`;
  }
  let [mantissa, exponent] = x.toExponential().split('e');
  if (!mantissa.includes('.')) {
    mantissa += '.0';
  }
  return `${mantissa}E${exponent.startsWith('+') ? exponent.slice(1) : exponent}`;
}

const SHORT_ESCAPES = { 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0c: '\\f', 0x0d: '\\r', 0x22: '\\"', 0x5c: '\\\\' };

/**
 * A string as Jackson writes it: ", \ and the C0 controls escaped (\b \t \n \f \r, the others \u00XX in upper
 * case), everything else as it is; a lone surrogate, which Java's UTF-8 output writes as '?', as '?'.
 */
export function javaString(s) {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c) {
      out += SHORT_ESCAPES[c] ?? `\\u00${c.toString(16).toUpperCase().padStart(2, '0')}`;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00
      && s.charCodeAt(i + 1) <= 0xdfff) {
      out += s[i] + s[i + 1];
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out += '?';
    } else {
      out += s[i];
    }
  }
  return `${out}"`;
}

/**
 * A value (objects in key order, arrays, strings, numbers as doubles, BigInts as ints, booleans, null) as one line
 * of JSON.
 */
export function javaJson(value) {
  if (value === null || value === undefined) {
    return 'null';
  }
  if (typeof value === 'string') {
    return javaString(value);
  }
  if (typeof value === 'number') {
    return javaDouble(value);
  }
  if (typeof value === 'bigint') {
    return String(value);
  }
  if (typeof value === 'boolean') {
    return String(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map(javaJson).join(',')}]`;
  }
  return `{${Object.entries(value).map(([k, v]) => `${javaString(k)}:${javaJson(v)}`).join(',')}}`;
}
