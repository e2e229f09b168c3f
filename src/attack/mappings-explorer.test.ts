import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { sharedPath } from '../testing/shared-reference.ts';
import { CATALOG } from './catalog.ts';
import { computeCoverage } from './coverage.ts';
import { fullSetup } from './full-setup.ts';
import {
  compareWithSetup,
  exportCatalog,
  parseMappingFile,
  type MappingFile,
} from './mappings-explorer.ts';
import { technique } from './techniques.ts';

const IOT_FILE = 'aws_iot_device_defender_attack-16.1-enterprise.json';
const MAPPING_FILES: [string, number, string][] = [
  [IOT_FILE, 24, '16.1'],
  ['aws-12.12.2024_attack-16.1-enterprise.json', 497, '16.1'],
  ['aws-09.21.2021_attack-9.0-enterprise.json', 463, '9.0'],
];

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(sharedPath('attack', file), 'utf8'));
}

function readMapping(file: string): MappingFile {
  const result = parseMappingFile(readJson(file));
  assert.ok(result.ok, file);
  return result.mapping;
}

const EMPTY_SETUP = { enabledChecks: [], behaviors: [], mitigationActions: [] };

test('parses every published AWS mapping file', () => {
  for (const [file, rows, attackVersion] of MAPPING_FILES) {
    const result = parseMappingFile(readJson(file));
    assert.ok(result.ok, JSON.stringify(!result.ok && result.problems.slice(0, 3)));
    assert.equal(result.mapping.mapping_objects.length, rows, file);
    assert.equal(result.mapping.metadata.attack_version, attackVersion, file);
    assert.equal(result.mapping.metadata.mapping_framework, 'aws', file);
  }
});

test('rejects a file that is not a mapping file', () => {
  const result = parseMappingFile(readJson('ics-techniques.json'));
  assert.equal(result.ok, false);
  assert.deepEqual(!result.ok && result.problems.map((problem) => problem.message), [
    'Missing field "metadata" at the top level',
    'Missing field "mapping_objects" at the top level',
    'Unknown field "domain" at the top level: not in the Mappings Explorer format',
    'Unknown field "attack_version" at the top level: not in the Mappings Explorer format',
    'Unknown field "source" at the top level: not in the Mappings Explorer format',
    'Unknown field "fields" at the top level: not in the Mappings Explorer format',
    'Unknown field "counts" at the top level: not in the Mappings Explorer format',
    'Unknown field "tactics" at the top level: not in the Mappings Explorer format',
    'Unknown field "assets" at the top level: not in the Mappings Explorer format',
    'Unknown field "techniques" at the top level: not in the Mappings Explorer format',
  ]);
});

test('rejects invalid mapping files with exact problems', () => {
  type Json = { metadata: Record<string, unknown>; mapping_objects: Record<string, unknown>[] };
  const file = () => structuredClone(readJson(IOT_FILE)) as Json;
  const cases: [string, (json: Json) => unknown, object[]][] = [
    [
      'not an object',
      () => [],
      [
        {
          code: 'INVALID_TYPE',
          path: '',
          message: 'Invalid value "[]" at the top level: must be an object',
        },
      ],
    ],
    [
      'bad creation date and domain',
      (json) => ({
        ...json,
        metadata: { ...json.metadata, creation_date: '2021-09-21', technology_domain: 'cloud' },
      }),
      [
        {
          code: 'INVALID_VALUE',
          path: 'metadata.technology_domain',
          message:
            'Invalid value "cloud" at "metadata.technology_domain": must be "enterprise", "mobile" or "ics"',
        },
        {
          code: 'INVALID_VALUE',
          path: 'metadata.creation_date',
          message:
            'Invalid value "2021-09-21" at "metadata.creation_date": must be a date in MM/DD/YYYY form',
        },
      ],
    ],
    [
      'mapping type without description',
      (json) => ({
        ...json,
        metadata: { ...json.metadata, mapping_types: { scores: { name: 'scores' } } },
      }),
      [
        {
          code: 'MISSING_FIELD',
          path: 'metadata.mapping_types.scores.description',
          message: 'Missing field "description" at "metadata.mapping_types.scores"',
        },
      ],
    ],
    [
      'capitalised category and extra field',
      (json) => {
        json.mapping_objects[3] = { ...json.mapping_objects[3], score_category: 'Detect' };
        json.mapping_objects[5] = { ...json.mapping_objects[5], score_num: 50 };
        return json;
      },
      [
        {
          code: 'INVALID_VALUE',
          path: 'mapping_objects[3].score_category',
          message:
            'Invalid value "Detect" at "mapping_objects[3].score_category": must be "protect", "detect", "respond" or null',
        },
        {
          code: 'UNKNOWN_FIELD',
          path: 'mapping_objects[5].score_num',
          message:
            'Unknown field "score_num" at "mapping_objects[5]": not in the Mappings Explorer format',
        },
      ],
    ],
    [
      'missing capability group and bad references',
      (json) => {
        const { capability_group: _group, ...row } = json.mapping_objects[0]!;
        json.mapping_objects[0] = { ...row, references: [1], comments: 7 };
        return json;
      },
      [
        {
          code: 'MISSING_FIELD',
          path: 'mapping_objects[0].capability_group',
          message: 'Missing field "capability_group" at "mapping_objects[0]"',
        },
        {
          code: 'INVALID_TYPE',
          path: 'mapping_objects[0].comments',
          message: 'Invalid value "7" at "mapping_objects[0].comments": must be a string or null',
        },
        {
          code: 'INVALID_TYPE',
          path: 'mapping_objects[0].references[0]',
          message: 'Invalid value "1" at "mapping_objects[0].references[0]": must be a string',
        },
      ],
    ],
    [
      'mapping objects not an array',
      (json) => ({ ...json, mapping_objects: {} }),
      [
        {
          code: 'INVALID_TYPE',
          path: 'mapping_objects',
          message: 'Invalid value "{}" at "mapping_objects": must be an array',
        },
      ],
    ],
  ];
  for (const [label, change, expected] of cases) {
    const result = parseMappingFile(change(file()));
    assert.equal(result.ok, false, label);
    assert.deepEqual(!result.ok && result.problems, expected, label);
  }
});

test('full setup covers every published row', () => {
  const comparison = compareWithSetup(readMapping(IOT_FILE), computeCoverage(fullSetup()));
  assert.equal(comparison.covered.length, 24);
  assert.deepEqual(comparison.notCovered, []);
  assert.equal(comparison.skipped, 0);
  assert.deepEqual(
    comparison.covered
      .filter((row) => row.nameInFile)
      .map((row) => `${row.techniqueId}: ${row.nameInFile} -> ${row.name}`),
    [
      'T1046: Network Service Scanning -> Network Service Discovery',
      'T1048.003: Exfiltration Over Unencrypted/Obfuscated Non-C2 Protocol -> Exfiltration Over Unencrypted Non-C2 Protocol',
      'T1530: Data from Cloud Storage Object -> Data from Cloud Storage',
      'T1557: Man-in-the-Middle -> Adversary-in-the-Middle',
      'T1562.008: Disable Cloud Logs -> Disable or Modify Cloud Logs',
      'T1562.008: Disable Cloud Logs -> Disable or Modify Cloud Logs',
    ],
  );
});

test('comparison lists what covers each row', () => {
  const coverage = computeCoverage({
    enabledChecks: ['LOGGING_DISABLED_CHECK'],
    behaviors: [],
    mitigationActions: [{ name: 'logging-on', type: 'ENABLE_IOT_LOGGING' }],
  });
  const comparison = compareWithSetup(readMapping(IOT_FILE), coverage);
  assert.deepEqual(
    comparison.covered.map((row) => [row.techniqueId, row.category, row.coveredBy]),
    [
      ['T1562', 'detect', ['audit check LOGGING_DISABLED_CHECK']],
      ['T1562', 'respond', ['action logging-on (ENABLE_IOT_LOGGING)']],
      ['T1562.008', 'detect', ['audit check LOGGING_DISABLED_CHECK']],
      ['T1562.008', 'respond', ['action logging-on (ENABLE_IOT_LOGGING)']],
    ],
  );
  assert.equal(comparison.notCovered.length, 20);
  assert.deepEqual(comparison.notCovered[0], {
    capabilityId: 'aws_iot_device_defender',
    techniqueId: 'T1020',
    name: 'Automated Exfiltration',
    category: 'protect',
    value: 'minimal',
    coveredBy: [],
  });
});

test('comparison with the whole AWS file can select one capability', () => {
  const mapping = readMapping('aws-12.12.2024_attack-16.1-enterprise.json');
  const coverage = computeCoverage(fullSetup());
  const iot = compareWithSetup(mapping, coverage, { capabilityId: 'aws_iot_device_defender' });
  assert.equal(iot.covered.length, 24);
  assert.equal(iot.notCovered.length, 0);

  const all = compareWithSetup(mapping, coverage);
  assert.equal(all.skipped, 10);
  assert.equal(all.covered.length + all.notCovered.length, 487);
  assert.deepEqual(
    all.notCovered.find((row) => row.techniqueId === 'T1053.001'),
    {
      capabilityId: 'amazon_inspector',
      techniqueId: 'T1053.001',
      name: 'At (Linux)',
      category: 'protect',
      value: 'minimal',
      coveredBy: [],
    },
  );
});

test('exported catalog round-trips through the parser', () => {
  for (const domain of ['enterprise', 'ics'] as const) {
    const exported = exportCatalog(domain);
    const result = parseMappingFile(JSON.parse(JSON.stringify(exported)));
    assert.ok(result.ok, JSON.stringify(!result.ok && result.problems.slice(0, 3)));
    assert.deepEqual(result.mapping, exported);

    const expected = CATALOG.flatMap((entry) =>
      entry.techniqueIds
        .filter((id) => technique(id)?.domain === domain)
        .map((id) => `${entry.capabilityId} ${id} ${entry.category} ${entry.value}`),
    );
    const rows = exported.mapping_objects.map(
      (row) =>
        `${row.capability_id} ${row.attack_object_id} ${row.score_category} ${row.score_value}`,
    );
    assert.deepEqual(rows, expected, domain);
  }
});

test('exported catalog uses v18.1 names and groups', () => {
  const exported = exportCatalog();
  assert.equal(exported.metadata.attack_version, '18.1');
  assert.equal(exported.metadata.technology_domain, 'enterprise');
  const groups = Object.keys(exported.metadata.capability_groups);
  for (const row of exported.mapping_objects) {
    const id = row.attack_object_id ?? '';
    assert.equal(row.attack_object_name, technique(id)?.name);
    assert.ok(groups.includes(row.capability_group ?? ''));
    assert.equal(row.related_score, id.includes('.') ? id.slice(0, 5) : undefined);
  }
  const keyRow = exported.mapping_objects.find(
    (row) =>
      row.capability_id === 'DEVICE_CERTIFICATE_KEY_QUALITY_CHECK' &&
      row.attack_object_id === 'T1552.004',
  );
  assert.equal(
    keyRow?.capability_description,
    'Audit check DEVICE_CERTIFICATE_KEY_QUALITY_CHECK for reason codes CERTIFICATE_KEY_VULNERABILITY_CVE-2008-0166, KEY_IN_BLOCKLIST',
  );
  assert.equal(keyRow?.author, 'Warden');
});

test('exported catalog compares with its own coverage', () => {
  const exported = exportCatalog();
  const full = compareWithSetup(exported, computeCoverage(fullSetup()));
  assert.equal(full.notCovered.length, 0);
  assert.equal(full.covered.length, exported.mapping_objects.length);
  const empty = compareWithSetup(exported, computeCoverage(EMPTY_SETUP));
  assert.equal(empty.covered.length, 0);
});
