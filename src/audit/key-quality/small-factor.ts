/**
 * Small prime factors of RSA moduli. A modulus with a prime factor below 2^16 (an even modulus,
 * say) is broken by trial division. Trying all 6,542 such primes on each modulus costs about a
 * millisecond in BigInt arithmetic. So the fleet analysis puts the product of those primes into
 * the batch gcd's product tree as extra leaves, where a modulus with such a factor gets a gcd
 * other than 1. Only those moduli are trial-divided here, to name the factors.
 */

import { primesUpTo } from './roca-fingerprint.ts';

export const SMALL_FACTOR_BOUND = 1 << 16;

let cachedPrimes: { bound: number; primes: number[] } | undefined;

function smallPrimes(bound: number): number[] {
  if (cachedPrimes?.bound !== bound) cachedPrimes = { bound, primes: primesUpTo(bound) };
  return cachedPrimes.primes;
}

/**
 * Returns the product of the primes up to `bound`, cut into factors of about `chunkBits` bits
 * each, so that they balance the product tree like moduli of that size.
 */
export function primorialChunks(bound = SMALL_FACTOR_BOUND, chunkBits = 2048): bigint[] {
  const chunks: bigint[] = [];
  let chunk = 1n;
  let bits = 0;
  for (const prime of smallPrimes(bound)) {
    chunk *= BigInt(prime);
    bits += Math.log2(prime);
    if (bits >= chunkBits) {
      chunks.push(chunk);
      chunk = 1n;
      bits = 0;
    }
  }
  if (chunk > 1n) chunks.push(chunk);
  return chunks;
}

/** Returns the distinct primes up to `bound` that divide `modulus`, smallest first. */
export function smallFactors(modulus: bigint, bound = SMALL_FACTOR_BOUND): number[] {
  const factors: number[] = [];
  const primes = smallPrimes(bound);
  for (let start = 0; start < primes.length;) {
    // One BigInt remainder by a product under 2^53 serves several primes.
    let product = 1;
    let end = start;
    while (end < primes.length && product * (primes[end] ?? 1) <= Number.MAX_SAFE_INTEGER) {
      product *= primes[end] ?? 1;
      end += 1;
    }
    const residue = Number(modulus % BigInt(product));
    for (let index = start; index < end; index += 1) {
      const prime = primes[index] ?? 1;
      if (residue % prime === 0) factors.push(prime);
    }
    start = end;
  }
  return factors;
}
