import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { primesUpTo } from './roca-fingerprint.ts';
import { primorialChunks, smallFactors } from './small-factor.ts';
import { randomPrime } from './testing/weak-keys.ts';

describe('small factors', () => {
  test('finds every small prime factor and nothing else', () => {
    const big = randomPrime(1024) * randomPrime(1000);
    const cases: Array<[bigint, number[]]> = [
      [big, []],
      [2n * big, [2]],
      [3n * 3n * 65521n * big, [3, 65521]],
      [65537n * big, []],
      [2n * 3n * 5n * 7n, [2, 3, 5, 7]],
    ];
    for (const [modulus, factors] of cases) assert.deepEqual(smallFactors(modulus), factors);
    assert.deepEqual(smallFactors(65537n * big, 65537), [65537]);
  });

  test('cuts the primorial into chunks whose product is the primorial', () => {
    const chunks = primorialChunks(1000, 256);
    const product = chunks.reduce((total, chunk) => total * chunk, 1n);
    const primorial = primesUpTo(1000).reduce((total, prime) => total * BigInt(prime), 1n);

    assert.equal(product, primorial);
    assert.ok(chunks.slice(0, -1).every((chunk) => chunk.toString(2).length >= 256));
    assert.ok(chunks.every((chunk) => chunk.toString(2).length <= 256 + 12));
  });
});
