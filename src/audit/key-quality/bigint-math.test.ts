import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';

import { bitLength, gcd, integerSqrt } from './bigint-math.ts';

function randomOdd(bits: number): bigint {
  return BigInt(`0x${randomBytes(Math.ceil(bits / 8)).toString('hex')}`) | 1n;
}

function euclid(first: bigint, second: bigint): bigint {
  let [a, b] = [first < 0n ? -first : first, second < 0n ? -second : second];
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

describe('gcd', () => {
  test('matches Euclid on values with planted common factors', () => {
    for (let round = 0; round < 300; round += 1) {
      const common = randomOdd(8 + (round % 200) * 5);
      const a = randomOdd(2048) * common;
      const b = randomOdd(256 + (round % 40) * 40) * common;
      assert.equal(gcd(a, b), euclid(a, b), `round ${round}`);
      assert.equal(gcd(b, a), euclid(a, b), `round ${round} swapped`);
    }
  });

  test('handles zero, one, negatives and equal values', () => {
    const big = randomOdd(2048);
    const cases: Array<[bigint, bigint, bigint]> = [
      [0n, 0n, 0n],
      [big, 0n, big],
      [0n, big, big],
      [big, 1n, 1n],
      [-12n, 18n, 6n],
      [big, big, big],
      [big * 6n, big * 4n, big * 2n],
    ];
    for (const [a, b, expected] of cases) assert.equal(gcd(a, b), expected, `gcd(${a}, ${b})`);
  });
});

describe('integerSqrt', () => {
  test('returns the floor at and around perfect squares', () => {
    for (const bits of [1, 20, 52, 53, 54, 105, 1024, 2048, 4099]) {
      const root = randomOdd(bits);
      const square = root * root;
      assert.equal(integerSqrt(square), root, `${bits}-bit square`);
      assert.equal(integerSqrt(square - 1n), root - 1n, `${bits}-bit square - 1`);
      assert.equal(integerSqrt(square + 2n * root), root, `${bits}-bit (root + 1)^2 - 1`);
    }
    assert.equal(integerSqrt(0n), 0n);
  });

  test('rejects a negative value', () => {
    assert.throws(() => integerSqrt(-4n), {
      name: 'RangeError',
      message: 'Cannot take the square root of negative value "-4"',
    });
  });
});

describe('bitLength', () => {
  test('counts bits whatever the estimate', () => {
    const value = (1n << 5000n) + 12345n;
    for (const estimate of [undefined, 1, 4990, 5001, 5002, 9000]) {
      assert.equal(bitLength(value, estimate), 5001, `estimate ${estimate}`);
    }
    assert.equal(bitLength(0n), 0);
    assert.equal(bitLength(1n), 1);
    assert.equal(bitLength(255n), 8);
    assert.equal(bitLength(256n), 9);
  });
});
