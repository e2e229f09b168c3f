import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseFleetText } from './fleet-files.ts';
import { loadFleet } from './fleet-merge.ts';
import { formatProblem } from './problems.ts';

const HEAD = 'apiVersion: warden/v1\nkind: FleetSecurity\n';

const OPERATORS =
  'less-than, less-than-equals, greater-than, greater-than-equals, in-cidr-set, not-in-cidr-set, in-port-set, not-in-port-set, in-set, not-in-set';

function problemsOf(file: string, text: string): string[] {
  return parseFleetText(file, text).problems.map(formatProblem);
}

function profileYaml(behaviors: string): string {
  return `${HEAD}securityProfiles:\n  - name: ports\n    behaviors:\n${behaviors}`;
}

const GOOD_BEHAVIOR = `      - name: few-ports
        metric: aws:num-listening-tcp-ports
        criteria: { comparisonOperator: less-than, value: { count: 5 } }
`;

describe('fleet file validation', () => {
  test('reports each invalid file with the exact problems', () => {
    const cases: { name: string; file: string; text: string; problems: string[] }[] = [
      {
        name: 'bad enum in YAML',
        file: 'fleet.yaml',
        text: profileYaml(
          `${GOOD_BEHAVIOR}      - name: bad-operator
        metric: aws:num-listening-tcp-ports
        criteria: { comparisonOperator: less-then, value: { count: 5 } }
`,
        ),
        problems: [
          `fleet.yaml: securityProfiles[0].behaviors[1].criteria.comparisonOperator: must be one of ${OPERATORS}, got "less-then"`,
        ],
      },
      {
        name: 'unknown key in JSON',
        file: 'fleet.json',
        text: JSON.stringify({
          apiVersion: 'warden/v1',
          kind: 'FleetSecurity',
          thingGroups: [{ name: 'quarantine', colour: 'red' }],
        }),
        problems: ['fleet.json: thingGroups[0].colour: unknown key'],
      },
      {
        name: 'unknown top-level section',
        file: 'fleet.yaml',
        text: `${HEAD}securityProfile: []\n`,
        problems: ['fleet.yaml: securityProfile: unknown key'],
      },
      {
        name: 'wrong type',
        file: 'fleet.yaml',
        text: profileYaml(`      - name: few-ports
        metric: aws:num-listening-tcp-ports
        criteria: { comparisonOperator: less-than, value: { count: "5" } }
`),
        problems: [
          'fleet.yaml: securityProfiles[0].behaviors[0].criteria.value.count: must be a number, got string "5"',
        ],
      },
      {
        name: 'missing member and bad name together',
        file: 'fleet.yaml',
        text: profileYaml(`      - name: few ports
        criteria: { comparisonOperator: less-than, value: { count: 5 } }
`),
        problems: [
          'fleet.yaml: securityProfiles[0].behaviors[0].name: invalid value "few ports": must be 1-128 characters of a-z, A-Z, 0-9, ":", "_" and "-"',
          'fleet.yaml: securityProfiles[0].behaviors[0].metric: is required',
        ],
      },
      {
        name: 'wrong apiVersion and kind',
        file: 'fleet.yaml',
        text: 'apiVersion: warden/v2\nkind: Fleet\n',
        problems: [
          'fleet.yaml: apiVersion: must be warden/v1, got "warden/v2"',
          'fleet.yaml: kind: must be FleetSecurity, got "Fleet"',
        ],
      },
      {
        name: 'empty file',
        file: 'fleet.yaml',
        text: '',
        problems: ['fleet.yaml: must be a mapping, got null'],
      },
      {
        name: 'bad YAML syntax',
        file: 'fleet.yaml',
        text: `${HEAD}thingGroups:\n  - name: [quarantine\n  - name: sensors\n`,
        problems: [
          'fleet.yaml: line 5, column 3: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
        ],
      },
      {
        name: 'duplicate YAML key',
        file: 'fleet.yaml',
        text: `${HEAD}kind: FleetSecurity\n`,
        problems: ['fleet.yaml: line 3, column 1: invalid YAML: Map keys must be unique'],
      },
      {
        name: 'bad JSON syntax',
        file: 'fleet.json',
        text: '{\n  "apiVersion": "warden/v1",\n  "kind": "FleetSecurity"\n  "policies": []\n}\n',
        problems: [
          "fleet.json: line 4, column 3: invalid JSON: Expected ',' or '}' after property value",
        ],
      },
      {
        name: 'unknown alert target type',
        file: 'fleet.yaml',
        text: `${HEAD}alertTargets:\n  - { name: siem, type: sns, url: https://siem.example/hook }\n`,
        problems: ['fleet.yaml: alertTargets[0].type: must be one of webhook, mqtt, got "sns"'],
      },
      {
        name: 'weekly audit without a day',
        file: 'fleet.yaml',
        text: `${HEAD}scheduledAudits:\n  - { name: weekly, frequency: WEEKLY, dayOfMonth: 3, targetCheckNames: [LOGGING_DISABLED_CHECK] }\n`,
        problems: [
          'fleet.yaml: scheduledAudits[0].dayOfWeek: is required when frequency is WEEKLY',
          'fleet.yaml: scheduledAudits[0].dayOfMonth: is used only with MONTHLY, not WEEKLY',
        ],
      },
      {
        name: 'value of neither type of a union',
        file: 'fleet.yaml',
        text: `${HEAD}scheduledAudits:\n  - { name: monthly, frequency: MONTHLY, dayOfMonth: [1], targetCheckNames: [LOGGING_DISABLED_CHECK] }\n`,
        problems: [
          'fleet.yaml: scheduledAudits[0].dayOfMonth: must be a string or a number, got a list',
        ],
      },
      {
        name: 'suppression with both expiry kinds',
        file: 'fleet.yaml',
        text: `${HEAD}auditSuppressions:
  - checkName: LOGGING_DISABLED_CHECK
    resourceIdentifier: { account: '123456789012' }
    expirationDate: 2031-01-01T00:00:00Z
    suppressIndefinitely: true
`,
        problems: [
          'fleet.yaml: auditSuppressions[0]: must set exactly one of expirationDate and suppressIndefinitely: true',
        ],
      },
      {
        name: 'invalid policy document',
        file: 'fleet.yaml',
        text: `${HEAD}policies:
  - name: device
    document:
      Version: '2012-10-17'
      Statement:
        - { Effect: Maybe, Action: 'iot:Connect', Resource: '*' }
`,
        problems: [
          'fleet.yaml: policies[0].document.Statement[0].Effect: Statement[0].Effect "Maybe" is not "Allow" or "Deny"',
        ],
      },
      {
        name: 'mitigation action with two parameter members',
        file: 'fleet.yaml',
        text: `${HEAD}mitigationActions:
  - name: two
    roleArn: arn:aws:iam::123456789012:role/mitigation
    actionParams:
      updateDeviceCertificateParams: { action: DEACTIVATE }
      disconnectClientParams: {}
`,
        problems: [
          'fleet.yaml: mitigationActions[0].actionParams: Invalid actionParams: must set exactly one member, found 2 ("updateDeviceCertificateParams", "disconnectClientParams")',
        ],
      },
      {
        name: 'short list and too small number',
        file: 'fleet.yaml',
        text: `${HEAD}dimensions:\n  - { name: topics, stringValues: [] }\nsecurityProfiles:\n  - name: p\n    behaviors:\n      - name: b\n        metric: aws:num-disconnects\n        criteria: { comparisonOperator: less-than, value: { count: 1 }, consecutiveDatapointsToAlarm: 0 }\n`,
        problems: [
          'fleet.yaml: dimensions[0].stringValues: must have at least 1 item, got 0',
          'fleet.yaml: securityProfiles[0].behaviors[0].criteria.consecutiveDatapointsToAlarm: must be at least 1, got "0"',
        ],
      },
    ];
    for (const { name, file, text, problems } of cases) {
      assert.deepEqual(problemsOf(file, text), problems, name);
    }
  });

  test('accepts the same setup written in YAML and in JSON', () => {
    const yaml = parseFleetText('fleet.yaml', profileYaml(GOOD_BEHAVIOR));
    const json = parseFleetText(
      'fleet.json',
      JSON.stringify({
        apiVersion: 'warden/v1',
        kind: 'FleetSecurity',
        securityProfiles: [
          {
            name: 'ports',
            behaviors: [
              {
                name: 'few-ports',
                metric: 'aws:num-listening-tcp-ports',
                criteria: { comparisonOperator: 'less-than', value: { count: 5 } },
              },
            ],
          },
        ],
      }),
    );
    assert.deepEqual(yaml.problems, []);
    assert.deepEqual(json.problems, []);
    assert.deepEqual(yaml.document, json.document);
  });

  test('normalizes a day of month and a date', () => {
    const parsed = parseFleetText(
      'fleet.yaml',
      `${HEAD}scheduledAudits:
  - { name: monthly, frequency: MONTHLY, dayOfMonth: 15, targetCheckNames: [LOGGING_DISABLED_CHECK] }
auditSuppressions:
  - checkName: LOGGING_DISABLED_CHECK
    resourceIdentifier: { account: '123456789012' }
    expirationDate: 2031-01-01T01:00:00+01:00
`,
    );
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.document?.scheduledAudits?.[0]?.dayOfMonth, '15');
    assert.equal(
      parsed.document?.auditSuppressions?.[0]?.expirationDate,
      '2031-01-01T00:00:00.000Z',
    );
  });
});

describe('fleet directories', () => {
  let dir: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'warden-fleet-files-'));
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('merges every fleet file of a directory and ignores other files', async () => {
    const merged = path.join(dir, 'merged');
    await mkdir(merged);
    await writeFile(
      path.join(merged, 'a-groups.yaml'),
      `${HEAD}thingGroups:\n  - name: quarantine\n`,
    );
    await writeFile(
      path.join(merged, 'b-profiles.json'),
      JSON.stringify({ apiVersion: 'warden/v1', kind: 'FleetSecurity', securityProfiles: [] }),
    );
    await writeFile(path.join(merged, 'notes.txt'), 'not a fleet file');

    const loaded = await loadFleet([merged]);
    assert.deepEqual(loaded.problems, []);
    assert.deepEqual(loaded.files, [
      path.join(merged, 'a-groups.yaml'),
      path.join(merged, 'b-profiles.json'),
    ]);
    assert.deepEqual([...(loaded.desired?.managed ?? [])], ['thingGroups', 'securityProfiles']);
    assert.deepEqual([...(loaded.desired?.resources.thingGroups.keys() ?? [])], ['quarantine']);
  });

  test('rejects a resource defined in two files, naming both', async () => {
    const twice = path.join(dir, 'twice');
    await mkdir(twice);
    const profile = { name: 'ports', description: 'one' };
    await writeFile(
      path.join(twice, 'a.yml'),
      `${HEAD}thingGroups:\n  - name: quarantine\nsecurityProfiles:\n  - name: ports\n`,
    );
    await writeFile(
      path.join(twice, 'b.json'),
      JSON.stringify({
        apiVersion: 'warden/v1',
        kind: 'FleetSecurity',
        securityProfiles: [{ name: 'other' }, profile],
        auditConfiguration: {
          roleArn: 'arn:aws:iam::123456789012:role/audit',
          auditCheckConfigurations: {},
        },
      }),
    );
    await writeFile(
      path.join(twice, 'c.yaml'),
      `${HEAD}thingGroups:\n  - name: quarantine\n  - name: quarantine\nauditConfiguration:\n  roleArn: arn:aws:iam::123456789012:role/audit\n  auditCheckConfigurations: {}\n`,
    );

    const loaded = await loadFleet([twice]);
    const a = path.join(twice, 'a.yml');
    const b = path.join(twice, 'b.json');
    const c = path.join(twice, 'c.yaml');
    assert.equal(loaded.desired, undefined);
    assert.deepEqual(loaded.problems.map(formatProblem), [
      `${b}: securityProfiles[1]: security profile "ports" is defined twice; it is already defined in ${a} at securityProfiles[0]`,
      `${c}: thingGroups[0]: thing group "quarantine" is defined twice; it is already defined in ${a} at thingGroups[0]`,
      `${c}: thingGroups[1]: thing group "quarantine" is defined twice; it is already defined in ${a} at thingGroups[0]`,
      `${c}: auditConfiguration: the audit configuration is defined twice; it is already defined in ${b} at auditConfiguration`,
    ]);
  });

  test('reports every invalid file at once and a missing path', async () => {
    const mixed = path.join(dir, 'mixed');
    await mkdir(mixed);
    await writeFile(path.join(mixed, 'one.yaml'), `${HEAD}policies: {}\n`);
    await writeFile(path.join(mixed, 'two.json'), '{"apiVersion": "warden/v1"}');
    const missing = path.join(dir, 'missing.yaml');

    const loaded = await loadFleet([mixed, missing]);
    assert.deepEqual(loaded.problems.map(formatProblem), [
      `${missing}: cannot read: no such file or directory`,
      `${path.join(mixed, 'one.yaml')}: policies: must be a list, got a mapping`,
      `${path.join(mixed, 'two.json')}: kind: is required`,
    ]);
  });

  test('rejects a directory without fleet files', async () => {
    const empty = path.join(dir, 'empty');
    await mkdir(empty);
    const loaded = await loadFleet([empty]);
    assert.deepEqual(loaded.problems.map(formatProblem), [
      `${empty}: the directory has no *.yaml, *.yml, *.json files`,
    ]);
  });
});
