/**
 * Rewrites the two generated tables of docs/attack.md (catalog entries and techniques) from the
 * code. Run with `npm run docs:attack`; a test fails when the committed page differs.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderEntryTable, renderTechniqueTable } from '../src/attack/catalog-markdown.ts';
import { REPO_ROOT } from '../src/testing/shared-reference.ts';

const file = path.join(REPO_ROOT, 'docs', 'attack.md');
let text = await readFile(file, 'utf8');
for (const table of [renderEntryTable(), renderTechniqueTable()]) {
  const header = table.slice(0, table.indexOf('\n') + 1);
  const start = text.indexOf(header);
  if (start === -1) throw new Error(`docs/attack.md has no table starting with ${header}`);
  const end = text.indexOf('\n\n', start);
  text = text.slice(0, start) + table.trimEnd() + text.slice(end === -1 ? text.length : end);
}
await writeFile(file, text);
