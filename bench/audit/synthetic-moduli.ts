/**
 * Fast synthetic RSA-sized moduli for the key-quality benchmark. Generating 200,000 real
 * 1024-bit primes takes hours on a 2-core machine (node's generatePrimeSync needed about 60 ms
 * each). So each synthetic modulus is the product of 42 distinct primes of about 48.75 bits,
 * drawn in order from a segmented sieve that starts at 2^(2047.5 / 42). Every product then has exactly
 * 2048 bits, no prime factor below 2^48, and no prime in common with any other modulus, which
 * is all the batch gcd's cost and the per-certificate checks depend on. Such moduli are not
 * secure RSA keys (they factor by ECM), and nothing in the benchmark relies on that.
 */

import { primesUpTo } from '../../src/audit/key-quality/roca-fingerprint.ts';

export const PRIMES_PER_MODULUS = 42;
const SEGMENT = 1 << 24;

/** Hands out distinct primes in increasing order, starting just above `start`. */
export class PrimeStream {
  private readonly basePrimes: number[];
  private low: number;
  private buffer: number[] = [];
  private position = 0;

  constructor(start = Math.ceil(2 ** (2047.5 / PRIMES_PER_MODULUS)), expectedCount = 5_000_000) {
    this.low = start;
    // The sieve needs base primes up to the square root of the highest number it reaches.
    const highest = start + expectedCount * Math.log(start) * 1.5;
    this.basePrimes = primesUpTo(Math.ceil(Math.sqrt(highest)) + 1);
  }

  next(): number {
    while (this.position >= this.buffer.length) this.sieveSegment();
    return this.buffer[this.position++] as number;
  }

  /** Returns the product of `count` fresh primes. */
  product(count: number): bigint {
    let product = 1n;
    for (let i = 0; i < count; i += 1) product *= BigInt(this.next());
    return product;
  }

  private sieveSegment(): void {
    const composite = new Uint8Array(SEGMENT);
    const low = this.low;
    for (const prime of this.basePrimes) {
      if (prime * prime >= low + SEGMENT) break;
      const remainder = low % prime;
      for (let index = remainder === 0 ? 0 : prime - remainder; index < SEGMENT; index += prime) {
        composite[index] = 1;
      }
    }
    const found: number[] = [];
    for (let index = 0; index < SEGMENT; index += 1) {
      if (composite[index] === 0) found.push(low + index);
    }
    this.buffer = found;
    this.position = 0;
    this.low += SEGMENT;
  }
}
