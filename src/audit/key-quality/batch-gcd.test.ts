import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';

import { gcd } from './bigint-math.ts';
import { batchGcdInThread } from './batch-gcd.ts';
import { batchGcd } from './batch-gcd-parallel.ts';

function randomOdd(bits: number): bigint {
  return (
    BigInt(`0x${randomBytes(Math.ceil(bits / 8)).toString('hex')}`) | 1n | (1n << BigInt(bits - 1))
  );
}

/** gcd(n_i, product of the others), one gcd per pair of values: the quadratic reference. */
function naive(moduli: readonly bigint[]): bigint[] {
  return moduli.map((modulus, i) => {
    const others = moduli.reduce((product, other, j) => (j === i ? product : product * other), 1n);
    return gcd(modulus, others);
  });
}

function plantedSet(count: number): bigint[] {
  const moduli = Array.from({ length: count }, (_, index) => randomOdd(300 + (index % 7) * 64));
  const shared = randomOdd(128);
  if (count > 5) {
    moduli[1] = (moduli[1] ?? 1n) * shared;
    moduli[count - 2] = (moduli[count - 2] ?? 1n) * shared;
  }
  return moduli;
}

describe('batch gcd', () => {
  test('matches the pairwise reference for sets of many sizes', () => {
    for (const count of [2, 3, 4, 5, 7, 8, 9, 16, 33, 70]) {
      const moduli = plantedSet(count);
      assert.deepEqual(batchGcdInThread(moduli), naive(moduli), `${count} moduli`);
    }
  });

  test('stays exact with leaves of very different sizes', () => {
    const big = randomOdd(1024);
    const moduli = [
      15n,
      big * 3n,
      randomOdd(2048),
      7n * 11n,
      big * randomOdd(1024),
      2n ** 61n - 1n,
    ];
    assert.deepEqual(batchGcdInThread(moduli), naive(moduli));
  });

  test('returns 1 for a single modulus and nothing for none', () => {
    assert.deepEqual(batchGcdInThread([randomOdd(512)]), [1n]);
    assert.deepEqual(batchGcdInThread([]), []);
  });

  test('returns the whole modulus when all its primes are elsewhere', () => {
    const [p, q, r] = [randomOdd(256), randomOdd(256), randomOdd(256)];
    const gcds = batchGcdInThread([p * q, p * r, q * r]);
    assert.deepEqual(gcds, [p * q, p * r, q * r]);
  });

  test('gives the same gcds on worker threads as in the calling thread', async () => {
    const moduli = plantedSet(61);
    const expected = naive(moduli);
    assert.deepEqual(await batchGcd(moduli, { workers: 2, parallelThreshold: 10 }), expected);
    assert.deepEqual(await batchGcd(moduli, { workers: 3, parallelThreshold: 10 }), expected);
    assert.deepEqual(await batchGcd(moduli, { workers: 1 }), expected);
  });
});
