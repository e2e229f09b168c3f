import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../testing/shared-reference.ts';
import { renderApiTable } from './api-table.ts';

test('docs/api.md matches the routes Warden serves', async () => {
  const committed = await readFile(path.join(REPO_ROOT, 'docs', 'api.md'), 'utf8');
  assert.equal(committed, await renderApiTable(), 'run "npm run docs:api" and commit docs/api.md');
});
