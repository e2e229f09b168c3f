import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeCoverage } from './coverage.ts';
import { fullSetup } from './full-setup.ts';
import { validateLayer } from './layer-schema.ts';
import {
  CATEGORY_COLORS,
  buildCoverageLayer,
  buildDetectionLayer,
  type Detection,
} from './navigator-layer.ts';
import { TECHNIQUES } from './techniques.ts';

const LOGGING_SETUP = {
  enabledChecks: ['LOGGING_DISABLED_CHECK'],
  behaviors: [],
  mitigationActions: [{ name: 'logging-on', type: 'ENABLE_IOT_LOGGING' }],
};

test('coverage layers of the full setup are valid', () => {
  const report = computeCoverage(fullSetup());
  for (const domain of ['enterprise', 'ics'] as const) {
    const layer = buildCoverageLayer(report, { domain });
    assert.deepEqual(validateLayer(layer), [], domain);
    assert.deepEqual(
      layer.techniques?.map((entry) => entry.techniqueID),
      TECHNIQUES.filter((entry) => entry.domain === domain).map((entry) => entry.id),
    );
  }
});

test('coverage layer header', () => {
  const layer = buildCoverageLayer(computeCoverage(LOGGING_SETUP), { generatedAt: 0 });
  assert.equal(layer.name, 'Warden ATT&CK coverage');
  assert.deepEqual(layer.versions, { attack: '18', navigator: '5.1.0', layer: '4.5' });
  assert.equal(layer.domain, 'enterprise-attack');
  assert.equal(layer.sorting, 3);
  assert.deepEqual(layer.metadata, [
    { name: 'generator', value: 'Warden' },
    { name: 'ATT&CK version', value: '18.1' },
    { name: 'generated', value: '1970-01-01T00:00:00.000Z' },
  ]);
  assert.equal(layer.legendItems?.length, 12);
  assert.deepEqual(layer.legendItems?.[0], { label: 'Protect - Minimal', color: '#9CBA7F' });
  assert.deepEqual(layer.legendItems?.[11], { label: 'Mixed - Significant', color: '#5c00a3' });
});

test('coverage layer colours by category and highest value', () => {
  const layer = buildCoverageLayer(computeCoverage(LOGGING_SETUP));
  assert.deepEqual(layer.techniques?.[1], {
    techniqueID: 'T1562.008',
    score: 50,
    color: CATEGORY_COLORS.mixed.partial,
    comment:
      'Covered by audit check LOGGING_DISABLED_CHECK; action logging-on (ENABLE_IOT_LOGGING)',
    metadata: [
      { name: 'control', value: 'audit check LOGGING_DISABLED_CHECK' },
      { name: 'category', value: 'detect' },
      { name: 'value', value: 'partial' },
      { name: 'source', value: 'published' },
      { divider: true },
      { name: 'control', value: 'action logging-on (ENABLE_IOT_LOGGING)' },
      { name: 'category', value: 'respond' },
      { name: 'value', value: 'partial' },
      { name: 'source', value: 'published' },
    ],
  });

  const detectOnly = buildCoverageLayer(
    computeCoverage({ ...LOGGING_SETUP, mitigationActions: [] }),
  );
  assert.deepEqual(
    detectOnly.techniques?.map((entry) => [entry.techniqueID, entry.color, entry.score]),
    [
      ['T1562', '#AEEEEE', 10],
      ['T1562.008', '#5F9F9F', 50],
    ],
  );
});

test('coverage layer records reason codes', () => {
  const layer = buildCoverageLayer(
    computeCoverage({
      enabledChecks: ['DEVICE_CERTIFICATE_KEY_QUALITY_CHECK'],
      behaviors: [],
      mitigationActions: [],
    }),
  );
  const keys = layer.techniques?.find((entry) => entry.techniqueID === 'T1552.004');
  assert.equal(keys?.color, '#659D32');
  assert.deepEqual(keys?.metadata?.at(-1), {
    name: 'reason codes',
    value: 'CERTIFICATE_KEY_VULNERABILITY_CVE-2008-0166, KEY_IN_BLOCKLIST',
  });
  assert.equal(
    layer.techniques?.some((entry) => entry.techniqueID === 'T0830'),
    false,
  );
});

const DETECTIONS: Detection[] = [
  { techniqueId: 'T1078.004', count: 3, firstSeen: 1000, lastSeen: 5000, sources: ['a', 'b'] },
  { techniqueId: 'T0859', count: 2, firstSeen: 1000, lastSeen: 2000, sources: ['a'] },
  { techniqueId: 'T1078.004', count: 4, firstSeen: 500, lastSeen: 3000, sources: ['b', 'c'] },
  { techniqueId: 'T1040', count: 1, firstSeen: 0, lastSeen: 0, sources: [] },
];

test('detection layer merges and scores detections', () => {
  const layer = buildDetectionLayer(DETECTIONS, { name: 'Last week' });
  assert.deepEqual(validateLayer(layer), []);
  assert.equal(layer.name, 'Last week');
  assert.deepEqual(layer.gradient, { colors: ['#ffe766', '#ff6666'], minValue: 0, maxValue: 7 });
  assert.deepEqual(layer.techniques, [
    {
      techniqueID: 'T1040',
      score: 1,
      comment: 'Detected 1 time by unknown sources',
      metadata: [
        { name: 'count', value: '1' },
        { name: 'first seen', value: '1970-01-01T00:00:00.000Z' },
        { name: 'last seen', value: '1970-01-01T00:00:00.000Z' },
      ],
    },
    {
      techniqueID: 'T1078.004',
      score: 7,
      comment: 'Detected 7 times by a, b, c',
      metadata: [
        { name: 'count', value: '7' },
        { name: 'first seen', value: '1970-01-01T00:00:00.500Z' },
        { name: 'last seen', value: '1970-01-01T00:00:05.000Z' },
        { name: 'source', value: 'a' },
        { name: 'source', value: 'b' },
        { name: 'source', value: 'c' },
      ],
    },
  ]);
  assert.equal(DETECTIONS[0]!.count, 3);
});

test('detection layer for ICS keeps ICS techniques', () => {
  const layer = buildDetectionLayer(DETECTIONS, { domain: 'ics' });
  assert.deepEqual(validateLayer(layer), []);
  assert.equal(layer.domain, 'ics-attack');
  assert.deepEqual(
    layer.techniques?.map((entry) => entry.techniqueID),
    ['T0859'],
  );
  assert.equal(layer.gradient?.maxValue, 2);
});

test('detection layer without detections is valid', () => {
  const layer = buildDetectionLayer([]);
  assert.deepEqual(validateLayer(layer), []);
  assert.deepEqual(layer.techniques, []);
  assert.equal(layer.gradient?.maxValue, 1);
});

test('detection layer rejects impossible detections', () => {
  const base = { techniqueId: 'T1040', count: 1, firstSeen: 10, lastSeen: 20, sources: [] };
  const cases: [Partial<Detection>, string][] = [
    [{ techniqueId: 'X1040' }, 'Invalid technique id "X1040": must look like T1234 or T1234.001'],
    [{ count: 0 }, 'Invalid count "0" for "T1040": must be a positive integer'],
    [{ count: 1.5 }, 'Invalid count "1.5" for "T1040": must be a positive integer'],
    [{ lastSeen: 5 }, 'Invalid lastSeen "5" for "T1040": must not be before firstSeen "10"'],
    [{ firstSeen: Number.NaN }, 'Invalid firstSeen "NaN" for "T1040": must be epoch ms'],
    [{ lastSeen: Infinity }, 'Invalid lastSeen "Infinity" for "T1040": must be epoch ms'],
    [{ lastSeen: 9e15 }, 'Invalid lastSeen "9000000000000000" for "T1040": must be epoch ms'],
  ];
  for (const [change, message] of cases) {
    assert.throws(() => buildDetectionLayer([{ ...base, ...change }]), {
      name: 'RangeError',
      message,
    });
  }
});
