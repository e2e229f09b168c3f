/**
 * Writes docs/api.md from the routes Warden serves, so the table cannot drift from the code.
 * Run with `npm run docs:api`; a test fails when the committed file differs from the output.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderApiTable } from '../src/service/api-table.ts';
import { REPO_ROOT } from '../src/testing/shared-reference.ts';

await writeFile(path.join(REPO_ROOT, 'docs', 'api.md'), await renderApiTable());
