import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hashKey, hashString, SeededRandom } from './seeded-random.ts';

function draws(random: SeededRandom, count: number): number[] {
  return Array.from({ length: count }, () => random.next());
}

describe('SeededRandom', () => {
  test('repeats a stream for the same seed and key', () => {
    assert.deepEqual(
      draws(new SeededRandom(7, ['a', 1]), 50),
      draws(new SeededRandom(7, ['a', 1]), 50),
    );
  });

  test('gives other streams for another seed or key', () => {
    const base = draws(new SeededRandom(7, ['a', 1]), 20);
    assert.notDeepEqual(draws(new SeededRandom(8, ['a', 1]), 20), base);
    assert.notDeepEqual(draws(new SeededRandom(7, ['a', 2]), 20), base);
    assert.notDeepEqual(draws(new SeededRandom(7, ['b', 1]), 20), base);
  });

  test('keeps floats in [0, 1) and spreads them', () => {
    const values = draws(new SeededRandom(1, ['spread']), 10_000);
    assert.ok(values.every((value) => value >= 0 && value < 1));
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    assert.ok(Math.abs(mean - 0.5) < 0.02, `mean ${mean}`);
    const lowQuarter = values.filter((value) => value < 0.25).length / values.length;
    assert.ok(Math.abs(lowQuarter - 0.25) < 0.02, `share below 0.25 is ${lowQuarter}`);
  });

  test('draws integers within both bounds', () => {
    const random = new SeededRandom(3, ['integers']);
    const seen = new Set<number>();
    for (let index = 0; index < 1_000; index++) seen.add(random.integer(2, 5));
    assert.deepEqual([...seen].sort(), [2, 3, 4, 5]);
  });

  test('samples distinct elements', () => {
    const sample = new SeededRandom(5, ['sample']).sample([1, 2, 3, 4, 5, 6], 4);
    assert.equal(sample.length, 4);
    assert.equal(new Set(sample).size, 4);
    assert.deepEqual(new SeededRandom(5, ['sample']).sample([1, 2], 5).sort(), [1, 2]);
  });

  test('rejects picking from an empty list', () => {
    assert.throws(() => new SeededRandom(1, []).pick([]), {
      name: 'RangeError',
      message: 'Cannot pick from an empty list',
    });
  });

  test('hashes strings and keys to 32-bit words', () => {
    assert.equal(hashString(''), 0x811c9dc5);
    assert.notEqual(hashString('ab'), hashString('ba'));
    const word = hashKey(1, ['x', 2]);
    assert.ok(Number.isInteger(word));
    assert.ok(word >= 0);
    assert.ok(word <= 0xffff_ffff);
    assert.notEqual(hashKey(1, ['x', 2]), hashKey(1, ['x', 2, 0]));
  });
});
