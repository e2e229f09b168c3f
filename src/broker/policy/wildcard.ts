/**
 * IAM-style wildcard matching: `*` matches any run of characters (slashes and colons included) and
 * `?` matches exactly one character. AWS IoT policies use this in `Resource`, `NotResource`,
 * `Action` and the `...Like` condition operators; the MQTT wildcards `+` and `#` have no special
 * meaning here.
 */

/** A wildcard in a pattern: `*` (any run of characters) or `?` (one character). */
export interface Wildcard {
  readonly wildcard: '*' | '?';
}

/** One piece of a pattern: literal text, or a wildcard. */
export type PatternPiece = string | Wildcard;

export const STAR: Wildcard = Object.freeze({ wildcard: '*' });
export const ANY_CHAR: Wildcard = Object.freeze({ wildcard: '?' });

/** A compiled pattern; `test` runs on every PUBLISH, so it avoids allocation. */
export interface WildcardMatcher {
  readonly source: string;
  test(value: string): boolean;
}

export interface WildcardOptions {
  /** Compare case-insensitively, as IAM does for action names. */
  ignoreCase?: boolean;
}

const LITERAL = 0;
const KIND_STAR = 1;
const KIND_ONE = 2;

/** Splits text in which every `*` and `?` is a wildcard into pattern pieces. */
export function wildcardPieces(text: string): PatternPiece[] {
  const pieces: PatternPiece[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char !== '*' && char !== '?') continue;
    if (i > start) pieces.push(text.slice(start, i));
    pieces.push(char === '*' ? STAR : ANY_CHAR);
    start = i + 1;
  }
  if (start < text.length) pieces.push(text.slice(start));
  return pieces;
}

/** Compiles text in which every `*` and `?` is a wildcard. */
export function compileWildcardText(text: string, options: WildcardOptions = {}): WildcardMatcher {
  return compileWildcard(wildcardPieces(text), options);
}

/**
 * Compiles pattern pieces into a matcher, choosing the cheapest test for the common shapes
 * (exact, `prefix*`, `*suffix`, `prefix*suffix`, `*`) and a backtracking scan otherwise.
 */
export function compileWildcard(
  pieces: readonly PatternPiece[],
  options: WildcardOptions = {},
): WildcardMatcher {
  const ignoreCase = options.ignoreCase === true;
  const normalized = normalize(pieces, ignoreCase);
  const source = normalized.map((piece) => (typeof piece === 'string' ? piece : piece.wildcard));
  const matcher = fastMatcher(normalized) ?? scanMatcher(normalized);
  if (!ignoreCase) return { source: source.join(''), test: matcher };
  return { source: source.join(''), test: (value) => matcher(value.toLowerCase()) };
}

/** Merges adjacent literals and collapses runs of `*`, which match the same as one `*`. */
function normalize(pieces: readonly PatternPiece[], ignoreCase: boolean): PatternPiece[] {
  const result: PatternPiece[] = [];
  for (const piece of pieces) {
    const last = result[result.length - 1];
    if (typeof piece === 'string') {
      if (piece === '') continue;
      const text = ignoreCase ? piece.toLowerCase() : piece;
      if (typeof last === 'string') result[result.length - 1] = last + text;
      else result.push(text);
    } else if (!(piece.wildcard === '*' && last === STAR)) {
      result.push(piece.wildcard === '*' ? STAR : ANY_CHAR);
    }
  }
  return result;
}

function fastMatcher(pieces: readonly PatternPiece[]): ((value: string) => boolean) | undefined {
  const [first, second, third] = pieces;
  if (pieces.length === 0) return (value) => value === '';
  if (pieces.length === 1 && typeof first === 'string') return (value) => value === first;
  if (pieces.length === 1 && first === STAR) return () => true;
  if (pieces.length === 2 && typeof first === 'string' && second === STAR) {
    return (value) => value.startsWith(first);
  }
  if (pieces.length === 2 && first === STAR && typeof second === 'string') {
    return (value) => value.endsWith(second);
  }
  if (pieces.length === 3 && typeof first === 'string' && second === STAR) {
    if (typeof third !== 'string') return undefined;
    const minimum = first.length + third.length;
    return (value) => value.length >= minimum && value.startsWith(first) && value.endsWith(third);
  }
  return undefined;
}

/**
 * Builds the general matcher: a two-pointer scan that remembers the last `*` and retries from it.
 * It is linear for patterns with one `*` and O(pattern × value) at worst.
 */
function scanMatcher(pieces: readonly PatternPiece[]): (value: string) => boolean {
  const chars: string[] = [];
  const kinds: number[] = [];
  for (const piece of pieces) {
    if (typeof piece !== 'string') {
      chars.push('');
      kinds.push(piece === STAR ? KIND_STAR : KIND_ONE);
      continue;
    }
    for (let i = 0; i < piece.length; i++) {
      chars.push(piece[i] as string);
      kinds.push(LITERAL);
    }
  }
  const codes = Uint16Array.from(chars, (char) => (char === '' ? 0 : char.charCodeAt(0)));
  const kindArray = Uint8Array.from(kinds);
  return (value) => scan(codes, kindArray, value);
}

function scan(codes: Uint16Array, kinds: Uint8Array, value: string): boolean {
  const length = kinds.length;
  let p = 0;
  let s = 0;
  let starPattern = -1;
  let starValue = 0;
  while (s < value.length) {
    const kind = p < length ? kinds[p] : -1;
    if (kind === KIND_ONE) {
      s += characterWidth(value, s);
      p++;
    } else if (kind === LITERAL && codes[p] === value.charCodeAt(s)) {
      s++;
      p++;
    } else if (kind === KIND_STAR) {
      starPattern = p++;
      starValue = s;
    } else if (starPattern >= 0) {
      p = starPattern + 1;
      s = ++starValue;
    } else {
      return false;
    }
  }
  while (p < length && kinds[p] === KIND_STAR) p++;
  return p === length;
}

/** `?` matches one character, so a surrogate pair (one code point) counts as one. */
function characterWidth(value: string, index: number): number {
  const code = value.charCodeAt(index);
  if (code < 0xd800 || code > 0xdbff || index + 1 >= value.length) return 1;
  const next = value.charCodeAt(index + 1);
  return next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
}
