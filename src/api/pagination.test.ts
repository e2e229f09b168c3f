import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WardenError } from '../core/errors.ts';
import { paginate } from './pagination.ts';

test('paginate walks every item once', () => {
  const items = Array.from({ length: 23 }, (_, index) => index);
  const seen: number[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = paginate(items, token, 5);
    seen.push(...page.items);
    token = page.nextToken;
    pages++;
  } while (token !== undefined);
  assert.deepEqual(seen, items);
  assert.equal(pages, 5);
});

test('paginate omits nextToken on the last page', () => {
  assert.deepEqual(paginate([1, 2], undefined, 2), { items: [1, 2] });
});

test('paginate rejects a token it did not issue', () => {
  for (const token of [
    'garbage',
    Buffer.from('{"o":-1}').toString('base64'),
    Buffer.from('[]').toString('base64'),
  ]) {
    assert.throws(
      () => paginate([1], token, 1),
      (error: unknown) =>
        error instanceof WardenError &&
        error.code === 'InvalidRequestException' &&
        error.message.startsWith('Invalid nextToken'),
    );
  }
});
