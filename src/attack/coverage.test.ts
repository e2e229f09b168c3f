import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeCoverage } from './coverage.ts';
import { fullSetup } from './full-setup.ts';
import { TECHNIQUES } from './techniques.ts';

const rowKeys = (rows: { techniqueId: string; category: string }[]) =>
  rows.map((row) => `${row.techniqueId} ${row.category}`);

test('full setup covers every catalog technique and published row', () => {
  const report = computeCoverage(fullSetup());
  assert.equal(report.attackVersion, '18.1');
  assert.deepEqual(
    report.techniques.map((entry) => entry.id),
    TECHNIQUES.map((entry) => entry.id).sort(),
  );
  assert.equal(report.published.total, 24);
  assert.equal(report.published.covered.length, 24);
  assert.deepEqual(report.published.uncovered, []);
  assert.deepEqual(report.unmapped, {
    enabledChecks: [],
    behaviors: [],
    mitigationActions: [{ name: 'publish_finding_to_sns', type: 'PUBLISH_FINDING_TO_SNS' }],
  });
});

test('empty setup covers nothing', () => {
  const report = computeCoverage({ enabledChecks: [], behaviors: [], mitigationActions: [] });
  assert.deepEqual(report.techniques, []);
  assert.equal(report.published.covered.length, 0);
  assert.equal(report.published.uncovered.length, 24);
  assert.deepEqual(report.published.uncovered[0], {
    techniqueId: 'T1020',
    category: 'protect',
    value: 'minimal',
    name: 'Automated Exfiltration',
  });
});

test('coverage lists every source of a technique', () => {
  const report = computeCoverage({
    enabledChecks: ['LOGGING_DISABLED_CHECK', 'LOGGING_DISABLED_CHECK'],
    behaviors: [],
    mitigationActions: [{ name: 'logging-on', type: 'ENABLE_IOT_LOGGING' }],
  });
  assert.deepEqual(report.techniques[1], {
    id: 'T1562.008',
    name: 'Disable or Modify Cloud Logs',
    tactics: ['defense-evasion'],
    domain: 'enterprise',
    categories: ['detect', 'respond'],
    value: 'partial',
    sources: [
      {
        kind: 'audit-check',
        capabilityId: 'LOGGING_DISABLED_CHECK',
        label: 'LOGGING_DISABLED_CHECK',
        category: 'detect',
        value: 'partial',
        source: 'published',
      },
      {
        kind: 'action',
        capabilityId: 'ENABLE_IOT_LOGGING',
        label: 'logging-on (ENABLE_IOT_LOGGING)',
        category: 'respond',
        value: 'partial',
        source: 'published',
      },
    ],
  });
  assert.deepEqual(rowKeys(report.published.covered), [
    'T1562 detect',
    'T1562 respond',
    'T1562.008 detect',
    'T1562.008 respond',
  ]);
});

test('each behavior on a metric counts as its own source', () => {
  const report = computeCoverage({
    enabledChecks: [],
    behaviors: [
      { profile: 'sensors', name: 'denied', metric: 'aws:num-authorization-failures' },
      { profile: 'gateways', name: 'denied', metric: 'aws:num-authorization-failures' },
      { profile: 'sensors', name: 'denied', metric: 'aws:num-authorization-failures' },
    ],
    mitigationActions: [],
  });
  const cloudAccounts = report.techniques.find((entry) => entry.id === 'T1078.004');
  assert.deepEqual(
    cloudAccounts?.sources.map((source) => source.label),
    [
      'gateways/denied (aws:num-authorization-failures)',
      'sensors/denied (aws:num-authorization-failures)',
    ],
  );
  assert.deepEqual(
    report.techniques.map((entry) => `${entry.id} ${entry.domain}`),
    ['T0855 ics', 'T1078 enterprise', 'T1078.004 enterprise'],
  );
});

test('warden entries cover published rows in the same category', () => {
  const report = computeCoverage({
    enabledChecks: ['INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK'],
    behaviors: [],
    mitigationActions: [],
  });
  assert.deepEqual(rowKeys(report.published.covered), [
    'T1020 protect',
    'T1020.001 protect',
    'T1040 protect',
    'T1078 detect',
    'T1078.004 detect',
    'T1557 protect',
  ]);
  assert.ok(report.techniques.every((entry) => entry.sources[0]?.source === 'warden'));
});

test('a published row needs its own category', () => {
  const report = computeCoverage({
    enabledChecks: [],
    behaviors: [],
    mitigationActions: [{ name: 'deactivate', type: 'UPDATE_DEVICE_CERTIFICATE' }],
  });
  const cloudAccounts = report.techniques.find((entry) => entry.id === 'T1078.004');
  assert.deepEqual(cloudAccounts?.categories, ['respond']);
  const open = rowKeys(report.published.uncovered);
  assert.ok(open.includes('T1078.004 detect'));
  assert.ok(open.includes('T1078.004 protect'));
  assert.deepEqual(rowKeys(report.published.covered), [
    'T1020 protect',
    'T1020.001 protect',
    'T1040 protect',
    'T1557 protect',
  ]);
});

test('technique value is the highest of its sources', () => {
  const report = computeCoverage({
    enabledChecks: ['DEVICE_CERTIFICATE_KEY_QUALITY_CHECK'],
    behaviors: [],
    mitigationActions: [{ name: 'ban', type: 'BAN' }],
  });
  const forged = report.techniques.find((entry) => entry.id === 'T1649');
  assert.equal(forged?.value, 'partial');
  assert.deepEqual(forged?.categories, ['protect', 'respond']);
  assert.deepEqual(
    forged?.sources.map((source) => [source.category, source.value, source.reasonCodes?.length]),
    [
      ['protect', 'partial', 6],
      ['protect', 'minimal', 4],
      ['respond', 'minimal', undefined],
    ],
  );
});

test('unmapped parts of the setup are listed', () => {
  const report = computeCoverage({
    enabledChecks: ['NOT_A_CHECK'],
    behaviors: [{ profile: 'fleet', name: 'cpu', metric: 'cpu-load' }],
    mitigationActions: [{ name: 'tell', type: 'PUBLISH_FINDING_TO_SNS' }],
  });
  assert.deepEqual(report.techniques, []);
  assert.deepEqual(report.unmapped, {
    enabledChecks: ['NOT_A_CHECK'],
    behaviors: [{ profile: 'fleet', name: 'cpu', metric: 'cpu-load' }],
    mitigationActions: [{ name: 'tell', type: 'PUBLISH_FINDING_TO_SNS' }],
  });
});
