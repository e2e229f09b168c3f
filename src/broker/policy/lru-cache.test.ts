import assert from 'node:assert/strict';
import { test } from 'node:test';

import { LruCache } from './lru-cache.ts';

test('LruCache evicts the least recently used entry', () => {
  const cache = new LruCache<string, number>(2);
  cache.set('a', 1);
  cache.set('b', 2);
  assert.equal(cache.get('a'), 1);
  cache.set('c', 3);
  assert.equal(cache.get('b'), undefined);
  assert.equal(cache.get('a'), 1);
  assert.equal(cache.get('c'), 3);
  assert.equal(cache.size, 2);
});

test('LruCache with capacity 0 stores nothing', () => {
  const cache = new LruCache<string, number>(0);
  cache.set('a', 1);
  assert.equal(cache.get('a'), undefined);
  assert.equal(cache.size, 0);
});

test('LruCache rejects an invalid capacity', () => {
  for (const capacity of [-1, 1.5, Number.NaN]) {
    assert.throws(() => new LruCache(capacity), RangeError, String(capacity));
  }
});
