import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ALL_CHECKS } from '../audit/checks/index.ts';
import { KEY_REASON } from '../audit/key-quality/key-finding.ts';
import { BUILT_IN_METRICS } from '../detect/metric-catalog.ts';
import { MITIGATION_ACTION_TYPES } from '../mitigate/mitigation-types.ts';
import { sharedPath } from '../testing/shared-reference.ts';
import {
  CATALOG,
  publishedRows,
  techniqueRef,
  techniquesForAction,
  techniquesForFinding,
  techniquesForViolation,
} from './catalog.ts';
import { TECHNIQUES, technique } from './techniques.ts';

interface MappingRow {
  capability_id: string;
  attack_object_id: string;
  attack_object_name: string;
  score_category: string;
  score_value: string;
}

function deviceDefenderRows(file: string): MappingRow[] {
  const json = JSON.parse(readFileSync(sharedPath('attack', file), 'utf8')) as {
    mapping_objects: MappingRow[];
  };
  return json.mapping_objects.filter((row) => row.capability_id === 'aws_iot_device_defender');
}

const ROW_FILES = [
  'aws_iot_device_defender_attack-16.1-enterprise.json',
  'aws-12.12.2024_attack-16.1-enterprise.json',
];

const ids = (refs: { id: string }[]) => refs.map((ref) => ref.id);

test('published entries restate every published row', () => {
  for (const file of ROW_FILES) {
    const expected = deviceDefenderRows(file)
      .map((row) => `${row.attack_object_id} ${row.score_category} ${row.score_value}`)
      .sort();
    const actual = publishedRows()
      .map((row) => `${row.techniqueId} ${row.category} ${row.value}`)
      .sort();
    assert.equal(expected.length, 24, file);
    assert.deepEqual(actual, expected, file);
  }
});

test('catalog uses v18.1 names where the mapping file is outdated', () => {
  const stale = deviceDefenderRows(ROW_FILES[0]!)
    .filter((row) => technique(row.attack_object_id)?.name !== row.attack_object_name)
    .map((row) => row.attack_object_id);
  assert.deepEqual([...new Set(stale)], ['T1046', 'T1048.003', 'T1530', 'T1557', 'T1562.008']);
});

test('catalog names only signals Warden has', () => {
  const checks = new Set(ALL_CHECKS.map((check) => check.name));
  const metrics = new Set(BUILT_IN_METRICS.map((metric) => metric.name));
  const actions = new Set<string>(MITIGATION_ACTION_TYPES);
  const known = { 'audit-check': checks, metric: metrics, action: actions };
  for (const entry of CATALOG) {
    assert.ok(known[entry.kind].has(entry.capabilityId), `${entry.kind} ${entry.capabilityId}`);
  }
});

test('reason codes belong to key-quality checks', () => {
  const codes = new Set<string>(Object.values(KEY_REASON));
  for (const entry of CATALOG.filter((candidate) => candidate.reasonCodes)) {
    assert.match(entry.capabilityId, /_CERTIFICATE_KEY_QUALITY_CHECK$/);
    assert.ok(entry.reasonCodes!.length > 0);
    for (const code of entry.reasonCodes!) assert.ok(codes.has(code), code);
  }
});

test('catalog and technique table use the same techniques', () => {
  const used = new Set(CATALOG.flatMap((entry) => entry.techniqueIds));
  for (const id of used) assert.ok(technique(id), `${id} missing from the table`);
  for (const entry of TECHNIQUES) assert.ok(used.has(entry.id), `${entry.id} is never used`);
});

test('every entry has a one-sentence reason', () => {
  for (const entry of CATALOG) {
    const label = `${entry.capabilityId} ${entry.techniqueIds.join(',')}`;
    assert.match(entry.reason, /^[A-Z][^\n]*\.$/, label);
    assert.doesNotMatch(entry.reason.slice(0, -1), /[.!?](\s|$)/, label);
  }
});

test('no capability scores a technique twice in one category', () => {
  const seen = new Set<string>();
  for (const entry of CATALOG) {
    for (const id of entry.techniqueIds) {
      const codes = entry.reasonCodes?.join('+') ?? '*';
      const key = `${entry.kind} ${entry.capabilityId} ${codes} ${id} ${entry.category}`;
      assert.ok(!seen.has(key), key);
      seen.add(key);
    }
  }
});

test('warden entries never restate a published row', () => {
  const published = new Set(publishedRows().map((row) => `${row.techniqueId} ${row.category}`));
  const restated = CATALOG.filter((entry) => entry.source === 'published');
  for (const entry of CATALOG.filter((candidate) => candidate.source === 'warden')) {
    const overlap = restated.filter(
      (other) => other.kind === entry.kind && other.capabilityId === entry.capabilityId,
    );
    for (const id of entry.techniqueIds) {
      const duplicate = overlap.some(
        (other) => other.category === entry.category && other.techniqueIds.includes(id),
      );
      assert.ok(!duplicate, `${entry.capabilityId} ${id} ${entry.category}`);
    }
  }
  assert.equal(published.size, 24);
});

test('techniquesForFinding returns sorted references', () => {
  assert.deepEqual(techniquesForFinding('LOGGING_DISABLED_CHECK'), [
    { id: 'T1562', name: 'Impair Defenses', tactics: ['defense-evasion'] },
    { id: 'T1562.008', name: 'Disable or Modify Cloud Logs', tactics: ['defense-evasion'] },
  ]);
  assert.deepEqual(ids(techniquesForFinding('CONFLICTING_CLIENT_IDS_CHECK')), [
    'T0856',
    'T0859',
    'T1078',
    'T1078.004',
  ]);
  assert.deepEqual(techniquesForFinding('NO_SUCH_CHECK'), []);
});

test('techniquesForFinding applies reason codes', () => {
  const check = 'DEVICE_CERTIFICATE_KEY_QUALITY_CHECK';
  const base = ['T0830', 'T0842', 'T1020', 'T1020.001', 'T1040', 'T1557'];
  const cases: [string | undefined, string[]][] = [
    [undefined, base],
    ['EC_CURVE_NONSTANDARD', base],
    ['RSA_SHARED_PRIME', [...base, 'T1649']],
    ['RSA_KEY_TOO_SHORT', [...base, 'T1649']],
    ['KEY_IN_BLOCKLIST', [...base.slice(0, 5), 'T1552.004', 'T1557', 'T1649']],
    [
      'CERTIFICATE_KEY_VULNERABILITY_CVE-2008-0166',
      [...base.slice(0, 5), 'T1552.004', 'T1557', 'T1649'],
    ],
    ['EC_CURVE_NONSTANDARD, SIGNATURE_ALGORITHM_WEAK', [...base, 'T1649']],
    ['', base],
  ];
  for (const [code, expected] of cases) {
    assert.deepEqual(ids(techniquesForFinding(check, code)), expected, String(code));
  }
});

test('techniquesForViolation maps metric names', () => {
  assert.deepEqual(ids(techniquesForViolation('aws:num-authorization-failures')), [
    'T0855',
    'T1078',
    'T1078.004',
  ]);
  assert.deepEqual(ids(techniquesForViolation('aws:disconnect-duration')), ['T0816', 'T0829']);
  assert.deepEqual(techniquesForViolation('my-custom-metric'), []);
});

test('techniquesForAction maps action types', () => {
  assert.deepEqual(ids(techniquesForAction('BAN')), [
    'T0814',
    'T1078',
    'T1078.004',
    'T1110',
    'T1499',
    'T1499.002',
    'T1649',
  ]);
  assert.deepEqual(ids(techniquesForAction('ENABLE_IOT_LOGGING')), ['T1562', 'T1562.008']);
  assert.deepEqual(techniquesForAction('PUBLISH_FINDING_TO_SNS'), []);
});

test('returned references are copies', () => {
  const first = techniquesForAction('ENABLE_IOT_LOGGING');
  first[0]!.tactics.push('impact');
  first[0]!.name = 'changed';
  assert.deepEqual(techniquesForAction('ENABLE_IOT_LOGGING')[0], {
    id: 'T1562',
    name: 'Impair Defenses',
    tactics: ['defense-evasion'],
  });
});

test('techniqueRef rejects an unknown id', () => {
  assert.throws(() => techniqueRef('T9999'), {
    name: 'RangeError',
    message: `Unknown technique "T9999": not in Warden's technique table`,
  });
});
