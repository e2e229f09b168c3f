import { factorFingerprint } from './bigint-math.ts';
/**
 * Fermat factoring of moduli whose primes are too close together. For n = p * q with p < q,
 * a = (p + q) / 2 and b = (q - p) / 2 satisfy n = a^2 - b^2, and a is only (q - p)^2 / (8 sqrt n)
 * above sqrt(n). Trying a = ceil(sqrt n), +1, +2, ... up to `steps` values therefore factors
 * every modulus with q - p below about sqrt(8 * steps) * n^(1/4). For 2048-bit keys and 4096
 * steps that is a gap of about 2^519. Random primes differ by about 2^1023, so only a broken
 * generator, one that picks q as the next prime after p for instance, produces such keys.
 *
 * Each step only checks whether a^2 - n can be a square modulo small moduli, in doubles; a
 * BigInt square root runs for about one step in 40,000.
 */

import { integerSqrt } from './bigint-math.ts';
import type { CertificateKey } from './certificate-key.ts';
import { KEY_REASON, type KeyFinding } from './key-finding.ts';

export const DEFAULT_FERMAT_STEPS = 4096;

/** A factorization found by Fermat's method. */
export interface FermatFactorization {
  /** The smaller factor, p = a - b. */
  factor: bigint;
  /** How many steps above ceil(sqrt n) the square was found at. */
  step: number;
}

/**
 * The first filter runs every step, as a 32 KB bitset that stays in the L1 cache. The later
 * ones run only for the ~1.5 % of steps that pass it. Every later modulus is under 46,341 so
 * that x^2 stays in int32 arithmetic.
 */
const FIRST_FILTER = 64 * 63 * 65;
const LATER_FILTERS = [11 * 13 * 17, 19 * 23 * 29, 31 * 37, 41 * 43, 47 * 53];

interface FilterTables {
  firstBits: Int32Array;
  later: Uint8Array[];
}
let filterTables: FilterTables | undefined;

/** Tries `steps` Fermat steps; returns the factorization, or undefined when none is found. */
export function fermatFactor(
  modulus: bigint,
  steps = DEFAULT_FERMAT_STEPS,
): FermatFactorization | undefined {
  if (modulus < 9n || modulus % 2n === 0n) return undefined;
  const tables = (filterTables ??= buildFilterTables());

  let start = integerSqrt(modulus);
  if (start * start === modulus) return { factor: start, step: 0 };
  start += 1n;

  const residue = (m: number): number => Number(mod(start * start - modulus, m));
  const candidates = scanFirstFilter(
    tables.firstBits,
    residue(FIRST_FILTER),
    Number(mod(2n * start + 1n, FIRST_FILTER)),
    steps,
  );
  const starts = LATER_FILTERS.map((m) => Number(mod(start, m)));
  const moduli = LATER_FILTERS.map((m) => Number(mod(modulus, m)));
  for (const step of candidates) {
    if (!passesLaterFilters(tables.later, starts, moduli, step)) continue;
    const found = squareDifference(modulus, start + BigInt(step));
    if (found !== undefined) return { factor: found, step };
  }
  return undefined;
}

/**
 * Returns the steps at which a^2 - n is a square modulo the first filter. It keeps
 * r = (a^2 - n) mod m and d = (2a + 1) mod m, since (a + 1)^2 - n = (a^2 - n) + (2a + 1), and
 * reduces them without branches, which random wrap-arounds would mispredict.
 */
function scanFirstFilter(
  bits: Int32Array,
  residue: number,
  increment: number,
  steps: number,
): number[] {
  const candidates: number[] = [];
  let r = residue;
  let d = increment;
  for (let step = 0; step < steps; step += 1) {
    if (((bits[r >> 5] ?? 0) >> (r & 31)) & 1) candidates.push(step);
    r = r + d - FIRST_FILTER;
    r += (r >> 31) & FIRST_FILTER;
    d = d + 2 - FIRST_FILTER;
    d += (d >> 31) & FIRST_FILTER;
  }
  return candidates;
}

function passesLaterFilters(
  tables: readonly Uint8Array[],
  starts: readonly number[],
  moduli: readonly number[],
  step: number,
): boolean {
  for (let k = 0; k < LATER_FILTERS.length; k += 1) {
    const m = LATER_FILTERS[k] ?? 1;
    const a = ((starts[k] ?? 0) + step) % m;
    const value = ((a * a) % m) - (moduli[k] ?? 0);
    if (tables[k]?.[value < 0 ? value + m : value] !== 1) return false;
  }
  return true;
}

function buildFilterTables(): FilterTables {
  const firstBits = new Int32Array((FIRST_FILTER >> 5) + 1);
  for (let x = 0; x < FIRST_FILTER; x += 1) {
    const square = (x * x) % FIRST_FILTER;
    firstBits[square >> 5] = (firstBits[square >> 5] ?? 0) | (1 << (square & 31));
  }
  return { firstBits, later: LATER_FILTERS.map(squaresModulo) };
}

function mod(value: bigint, m: number): bigint {
  const big = BigInt(m);
  return ((value % big) + big) % big;
}

/** Returns a - b when a^2 - n is a perfect square b^2. */
function squareDifference(modulus: bigint, a: bigint): bigint | undefined {
  const difference = a * a - modulus;
  const b = integerSqrt(difference);
  return b * b === difference ? a - b : undefined;
}

function squaresModulo(modulus: number): Uint8Array {
  const table = new Uint8Array(modulus);
  for (let x = 0; x < modulus; x += 1) table[(x * x) % modulus] = 1;
  return table;
}

/** Flags an RSA key that Fermat's method factors within `steps` steps. */
export function checkFermat(
  key: CertificateKey,
  steps = DEFAULT_FERMAT_STEPS,
): KeyFinding | undefined {
  if (key.rsa === undefined) return undefined;
  const found = fermatFactor(key.rsa.modulus, steps);
  if (found === undefined) return undefined;
  return {
    code: KEY_REASON.FERMAT_FACTORABLE,
    message: `RSA modulus factors by Fermat's method after ${found.step + 1} steps because its primes are too close`,
    evidence: {
      FACTOR_SHA256: factorFingerprint(found.factor),
      FACTOR_BITS: String(found.factor.toString(2).length),
      FERMAT_STEPS: String(found.step + 1),
    },
  };
}
