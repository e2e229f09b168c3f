import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../testing/shared-reference.ts';
import { CATALOG } from './catalog.ts';
import { renderEntryTable, renderTechniqueTable } from './catalog-markdown.ts';
import { TECHNIQUES } from './techniques.ts';

const DOC = readFileSync(path.join(REPO_ROOT, 'docs', 'attack.md'), 'utf8');

test('entry table has one row per entry', () => {
  const lines = renderEntryTable().split('\n');
  assert.equal(lines.length, CATALOG.length + 2);
  assert.equal(lines[0], '| Capability | Techniques | Category | Value | Source | Reason |');
  assert.ok(
    lines.includes(
      '| audit check `LOGGING_DISABLED_CHECK` | T1562.008 | detect | partial | published | ' +
        'Finds IoT logging turned off, though it watches no logs other than IoT logging. |',
    ),
  );
  assert.ok(
    lines.includes(
      '| audit check `CA_CERTIFICATE_KEY_QUALITY_CHECK` for reason codes ' +
        '`CERTIFICATE_KEY_VULNERABILITY_CVE-2008-0166`, `KEY_IN_BLOCKLIST` | T1552.004 | protect | ' +
        'partial | warden | A key from the predictable Debian generator or on a blocklist of ' +
        'published keys is a private key already in other hands. |',
    ),
  );
});

test('technique table has one row per technique', () => {
  const lines = renderTechniqueTable().split('\n');
  assert.equal(lines.length, TECHNIQUES.length + 2);
  assert.ok(
    lines.includes(
      '| T1557 | Adversary-in-the-Middle | credential-access, collection | enterprise |',
    ),
  );
});

test('docs/attack.md lists the current catalog', () => {
  assert.ok(DOC.includes(renderEntryTable()), 'entry table in docs/attack.md is out of date');
  assert.ok(
    DOC.includes(renderTechniqueTable()),
    'technique table in docs/attack.md is out of date',
  );
});
