import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { TEST_ROOT_ENV } from '../../testing/credentials.ts';
import { TestWarden } from '../../testing/harness.ts';
import { CapturedStream } from '../audit/test-streams.ts';
import { runApplyCommand, runExportCommand } from './apply-command.ts';

const REPOSITORY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const EXAMPLE = path.join(REPOSITORY, 'examples', 'fleet-security.yaml');
const HEAD = 'apiVersion: warden/v1\nkind: FleetSecurity\n';
const ROLE = 'arn:aws:iam::123456789012:role/warden';
const SECRET = 'siem-secret-0123456789';

const PORTS_PROFILE = `securityProfiles:
  - name: ports
    description: Open ports
    targets: [quarantine]
    behaviors:
      - name: few-ports
        metric: aws:num-listening-tcp-ports
        criteria: { comparisonOperator: less-than, value: { count: 5 } }
`;

describe('warden apply and warden export', () => {
  let warden: TestWarden;
  let dir: string;
  let files = 0;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'warden-apply-'));
  });

  beforeEach(async () => {
    warden = await TestWarden.start();
  });

  afterEach(async () => {
    await warden?.stop();
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function fleetFile(text: string, extension = 'yaml'): Promise<string> {
    const file = path.join(dir, `fleet-${(files += 1)}.${extension}`);
    await writeFile(file, extension === 'json' ? text : `${HEAD}${text}`);
    return file;
  }

  async function run(
    command: typeof runApplyCommand,
    argv: string[],
    env: NodeJS.ProcessEnv = {},
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    const stdout = new CapturedStream();
    const stderr = new CapturedStream();
    const code = await command(argv, { stdout, stderr, env: { ...TEST_ROOT_ENV, ...env } });
    return { code, stdout: stdout.text, stderr: stderr.text };
  }

  function apply(file: string, ...flags: string[]) {
    return run(runApplyCommand, ['-f', file, '--endpoint', warden.endpoints.http, ...flags], {
      SIEM_WEBHOOK_SECRET: SECRET,
    });
  }

  async function body(method: string, pathAndQuery: string, payload?: unknown) {
    const response = await warden.api(method, pathAndQuery, payload);
    assert.ok(response.status < 300, `${method} ${pathAndQuery}: ${JSON.stringify(response.body)}`);
    return response.body;
  }

  test('changes a thing group description and attributes in place', async () => {
    const group = (description: string, site: string) =>
      fleetFile(
        `thingGroups:\n  - name: plant\n    description: ${description}\n    attributes: { site: ${site} }\n`,
      );
    assert.equal((await apply(await group('First', 'north'), '--yes')).code, 0);
    const changed = await apply(await group('Second', 'south'), '--yes');
    assert.equal(changed.code, 0, changed.stderr);
    assert.ok(changed.stdout.includes('  ~ thing group "plant": done\n'), changed.stdout);
    const described = await body('GET', '/thing-groups/plant');
    assert.equal(described.thingGroupProperties.thingGroupDescription, 'Second');
    assert.deepEqual(described.thingGroupProperties.attributePayload.attributes, { site: 'south' });
    const again = await apply(await group('Second', 'south'), '--yes');
    assert.ok(again.stdout.includes('No changes'), again.stdout);
  });

  test('prints the plan and applies nothing without --yes', async () => {
    const file = await fleetFile(`thingGroups:\n  - name: quarantine\n${PORTS_PROFILE}`);
    const result = await apply(file);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      [
        'Thing groups',
        '  + quarantine',
        '',
        'Security profiles',
        '  + ports',
        '',
        'Plan: 2 to create, 0 to change, 0 to delete',
        '',
        'Nothing was applied. Run again with --yes to apply this plan.',
        '',
      ].join('\n'),
    );
    assert.deepEqual((await body('GET', '/thing-groups')).thingGroups, []);
    assert.deepEqual((await body('GET', '/security-profiles')).securityProfileIdentifiers, []);
  });

  test('applies with --yes in dependency order', async () => {
    const file = await fleetFile(`thingGroups:\n  - name: quarantine\n${PORTS_PROFILE}`);
    const result = await apply(file, '--yes');
    assert.equal(result.code, 0, result.stderr);
    assert.ok(
      result.stdout.endsWith(
        [
          'Plan: 2 to create, 0 to change, 0 to delete',
          '',
          'Applying 3 steps',
          '  + thing group "quarantine": done',
          '  + security profile "ports": done',
          '  + security profile "ports": attach to thing group "quarantine": done',
          'Apply complete: 2 created, 0 changed, 0 deleted',
          '',
        ].join('\n'),
      ),
      result.stdout,
    );

    const profile = await body('GET', '/security-profiles/ports');
    assert.equal(profile.securityProfileDescription, 'Open ports');
    assert.deepEqual(profile.behaviors, [
      {
        name: 'few-ports',
        metric: 'aws:num-listening-tcp-ports',
        criteria: { comparisonOperator: 'less-than', value: { count: 5 } },
      },
    ]);
    const targets = await body('GET', '/security-profiles/ports/targets');
    assert.deepEqual(targets.securityProfileTargets, [
      { arn: 'arn:aws:iot:us-east-1:123456789012:thinggroup/quarantine' },
    ]);
  });

  test('a second apply plans no changes and sends nothing', async () => {
    const file = await fleetFile(`thingGroups:\n  - name: quarantine\n${PORTS_PROFILE}policies:
  - name: device
    document: { Version: '2012-10-17', Statement: [{ Effect: Allow, Action: 'iot:Connect', Resource: '*' }] }
`);
    assert.equal((await apply(file, '--yes')).code, 0);
    const version = (await body('GET', '/security-profiles/ports')).version;
    const policy = await body('GET', '/policies/device');

    const again = await apply(file, '--yes');
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, 'No changes: Warden matches the fleet files\n');
    assert.equal((await body('GET', '/security-profiles/ports')).version, version);
    assert.equal((await body('GET', '/policies/device')).generationId, policy.generationId);
  });

  test('applies changes of every kind, then plans none', async () => {
    const first = await fleetFile(`thingGroups:
  - name: quarantine
  - name: fleet
dimensions:
  - { name: topics, stringValues: [a/#] }
customMetrics:
  - { name: errors, metricType: number, displayName: Errors }
mitigationActions:
  - name: isolate
    roleArn: ${ROLE}
    actionParams: { addThingsToThingGroupParams: { thingGroupNames: [quarantine] } }
alertTargets:
  - { name: ops, type: mqtt, topic: ops/alerts }
auditConfiguration:
  roleArn: ${ROLE}
  auditCheckConfigurations:
    LOGGING_DISABLED_CHECK: { enabled: true }
    CA_CERTIFICATE_EXPIRING_CHECK: { enabled: true }
scheduledAudits:
  - { name: nightly, frequency: DAILY, targetCheckNames: [LOGGING_DISABLED_CHECK, CA_CERTIFICATE_EXPIRING_CHECK] }
${PORTS_PROFILE}`);
    assert.equal((await apply(first, '--yes')).code, 0);

    const second = await fleetFile(`thingGroups:
  - name: quarantine
  - name: fleet
dimensions:
  - { name: topics, stringValues: [a/#, b/#] }
customMetrics:
  - { name: errors, metricType: number }
mitigationActions:
  - name: isolate
    roleArn: ${ROLE}-2
    actionParams: { banParams: { scope: CLIENT_ID, durationSeconds: 600 } }
alertTargets:
  - { name: ops, type: mqtt, topic: ops/alerts/v2 }
auditConfiguration:
  roleArn: ${ROLE}
  auditCheckConfigurations:
    LOGGING_DISABLED_CHECK: { enabled: true }
scheduledAudits:
  - { name: nightly, frequency: WEEKLY, dayOfWeek: SUN, targetCheckNames: [LOGGING_DISABLED_CHECK] }
securityProfiles:
  - name: ports
    targets: [fleet, all/things]
    behaviors:
      - name: few-ports
        metric: aws:num-listening-tcp-ports
        criteria: { comparisonOperator: less-than, value: { count: 9 } }
`);
    const changed = await apply(second, '--yes');
    assert.equal(changed.code, 0, changed.stderr);
    assert.ok(
      changed.stdout.includes(
        [
          'Applying 10 steps',
          '  ~ alert target "ops": done',
          '  ~ custom metric "errors": done',
          '  ~ dimension "topics": done',
          '  ~ mitigation action "isolate": done',
          '  ~ scheduled audit "nightly": done',
          '  ~ security profile "ports": done',
          '  ~ security profile "ports": detach from thing group "quarantine": done',
          '  ~ security profile "ports": attach to all/things: done',
          '  ~ security profile "ports": attach to thing group "fleet": done',
          '  ~ audit configuration "account": disable CA_CERTIFICATE_EXPIRING_CHECK: done',
          'Apply complete: 0 created, 7 changed, 0 deleted',
        ].join('\n'),
      ),
      changed.stdout,
    );

    const again = await apply(second);
    assert.equal(again.stdout, 'No changes: Warden matches the fleet files\n');
    const profile = await body('GET', '/security-profiles/ports');
    assert.equal(profile.securityProfileDescription, '');
    assert.equal(profile.behaviors[0].criteria.value.count, 9);
    const schedule = await body('GET', '/audit/scheduledaudits/nightly');
    assert.equal(schedule.frequency, 'WEEKLY');
    const configuration = await body('GET', '/audit/configuration');
    assert.equal(
      configuration.auditCheckConfigurations.CA_CERTIFICATE_EXPIRING_CHECK.enabled,
      false,
    );
  });

  test('replaces a policy document past five versions', async () => {
    for (let revision = 1; revision <= 7; revision += 1) {
      const file = await fleetFile(`policies:
  - name: device
    document: { Version: '2012-10-17', Statement: [{ Sid: r${revision}, Effect: Allow, Action: 'iot:Connect', Resource: '*' }] }
`);
      const result = await apply(file, '--yes');
      assert.equal(result.code, 0, result.stderr);
    }
    const versions = (await body('GET', '/policies/device/version')).policyVersions;
    assert.equal(versions.length, 5);
    const current = JSON.parse((await body('GET', '/policies/device')).policyDocument);
    assert.equal(current.Statement[0].Sid, 'r7');
  });

  test('prune deletes only resources of sections the file contains', async () => {
    await body('POST', '/thing-groups/legacy', {});
    await body('POST', '/dimensions/old-topics', {
      type: 'TOPIC_FILTER',
      stringValues: ['old/#'],
      clientRequestToken: 'token-1',
    });
    const file = await fleetFile('thingGroups:\n  - name: quarantine\n');

    const kept = await apply(file, '--yes');
    assert.equal(kept.code, 0, kept.stderr);
    assert.ok(kept.stdout.includes('  = legacy (not in the files, kept)\n'), kept.stdout);
    await body('GET', '/thing-groups/legacy');

    const pruned = await apply(file, '--yes', '--prune');
    assert.equal(pruned.code, 0, pruned.stderr);
    assert.ok(pruned.stdout.includes('  - thing group "legacy": done\n'), pruned.stdout);
    assert.equal((await warden.api('GET', '/thing-groups/legacy')).status, 404);
    await body('GET', '/dimensions/old-topics');
  });

  test('export then apply plans no changes', async () => {
    assert.equal((await apply(EXAMPLE, '--yes')).code, 0);
    // Resources that only the API created, including a kept policy version and a webhook
    // without a secret.
    await body('POST', '/policies/sensor-policy/version?setAsDefault=false', {
      policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
    });
    await body('PUT', '/warden/alert-targets/plain-hook', {
      type: 'webhook',
      url: 'https://hooks.example/plain',
    });
    await body('POST', '/audit/suppressions/create', {
      checkName: 'LOGGING_DISABLED_CHECK',
      resourceIdentifier: { account: '123456789012' },
      expirationDate: Date.UTC(2040, 0, 1) / 1000,
      description: 'Logging is collected elsewhere',
      clientRequestToken: 'token-1',
    });

    const exported = path.join(dir, 'exported.yaml');
    const written = await run(runExportCommand, [
      '--endpoint',
      warden.endpoints.http,
      '-o',
      exported,
    ]);
    assert.equal(written.code, 0, written.stderr);
    assert.equal(written.stderr, `Wrote the fleet configuration to "${exported}"\n`);
    const text = await readFile(exported, 'utf8');
    assert.ok(text.includes('secretEnv: WARDEN_ALERT_SECRET_SECURITY_ALERTS'), text);
    assert.ok(!text.includes(SECRET));
    const generated = [
      'securityProfileArn',
      'thingGroupArn',
      'thingGroupId',
      'actionArn',
      'actionId',
    ];
    for (const member of [...generated, 'creationDate', 'lastModifiedDate', 'version:'])
      assert.ok(!text.includes(member), `export contains ${member}`);
    assert.ok(text.includes('expirationDate: "2040-01-01T00:00:00.000Z"'), text);

    const planned = await run(runApplyCommand, [
      '-f',
      exported,
      '--endpoint',
      warden.endpoints.http,
    ]);
    assert.equal(planned.code, 0, planned.stderr);
    assert.equal(planned.stdout, 'No changes: Warden matches the fleet files\n');

    const json = await run(runExportCommand, [
      '--endpoint',
      warden.endpoints.http,
      '--format',
      'json',
    ]);
    assert.equal(json.code, 0, json.stderr);
    const jsonFile = await fleetFile(json.stdout, 'json');
    const fromJson = await run(runApplyCommand, [
      '-f',
      jsonFile,
      '--endpoint',
      warden.endpoints.http,
    ]);
    assert.equal(fromJson.stdout, 'No changes: Warden matches the fleet files\n', fromJson.stderr);
    assert.deepEqual(JSON.parse(json.stdout).auditSuppressions, [
      {
        checkName: 'LOGGING_DISABLED_CHECK',
        resourceIdentifier: { account: '123456789012' },
        expirationDate: '2040-01-01T00:00:00.000Z',
        description: 'Logging is collected elsewhere',
      },
    ]);
  });

  test('the example file applies cleanly', async () => {
    const result = await apply(EXAMPLE, '--yes');
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.stdout.includes('Plan: 18 to create, 0 to change, 0 to delete\n'));
    assert.ok(result.stdout.endsWith('Apply complete: 18 created, 0 changed, 0 deleted\n'));

    const target = await body('GET', '/warden/alert-targets/security-alerts');
    assert.equal(target.secretConfigured, true);
    const profiles = await body('GET', '/security-profiles');
    assert.deepEqual(
      profiles.securityProfileIdentifiers.map((profile: { name: string }) => profile.name),
      ['quarantined-things', 'sensor-messaging', 'sensor-network'],
    );
    const configuration = await body('GET', '/audit/configuration');
    const checks = Object.values(configuration.auditCheckConfigurations) as { enabled: boolean }[];
    assert.ok(checks.every((check) => check.enabled));
    assert.equal((await apply(EXAMPLE)).stdout, 'No changes: Warden matches the fleet files\n');
  });

  test('stops at the first error Warden returns', async () => {
    // A target takes at most five profiles, a limit only Warden checks.
    const profiles = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6']
      .map((name) => `  - { name: ${name}, targets: [fleet] }\n`)
      .join('');
    const file = await fleetFile(`thingGroups:\n  - name: fleet\nsecurityProfiles:\n${profiles}`);
    const result = await apply(file, '--yes');
    assert.equal(result.code, 1);
    const attach = (name: string) => `+ security profile "${name}": attach to thing group "fleet"`;
    assert.ok(result.stdout.includes(`  ${attach('p6')}: failed\n`), result.stdout);
    assert.equal(
      result.stderr,
      [
        `Apply stopped: ${attach('p6')} failed: AttachSecurityProfile failed: LimitExceededException: Target "arn:aws:iot:us-east-1:123456789012:thinggroup/fleet" already has 5 security profiles attached, the maximum`,
        'Applied 12 of 13 steps before the failure:',
        '  + thing group "fleet"',
        ...['p1', 'p2', 'p3', 'p4', 'p5', 'p6'].map((name) => `  + security profile "${name}"`),
        ...['p1', 'p2', 'p3', 'p4', 'p5'].map((name) => `  ${attach(name)}`),
        '',
      ].join('\n'),
    );
  });

  test('lists the steps not applied after a failure', async () => {
    const profiles = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6']
      .map((name) => `  - { name: ${name}, targets: [fleet] }\n`)
      .join('');
    const file = await fleetFile(
      `thingGroups:\n  - name: fleet\nsecurityProfiles:\n${profiles}  - { name: p7, targets: [all/things] }\n`,
    );
    const result = await apply(file, '--yes');
    assert.equal(result.code, 1);
    assert.ok(
      result.stderr.endsWith('Not applied:\n  + security profile "p7": attach to all/things\n'),
      result.stderr,
    );
    assert.equal(
      (await body('GET', '/security-profiles/p7/targets')).securityProfileTargets.length,
      0,
    );
  });

  test('rejects an invalid file and applies nothing', async () => {
    const file = await fleetFile(`thingGroups:\n  - name: quarantine\nsecurityProfiles:
  - name: ports
    behaviors:
      - { name: b, metric: aws:num-disconnects, criteria: { comparisonOperator: less-then } }
    colour: red
`);
    const result = await apply(file, '--yes');
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.equal(
      result.stderr,
      [
        `${file}: securityProfiles[0].behaviors[0].criteria.comparisonOperator: must be one of less-than, less-than-equals, greater-than, greater-than-equals, in-cidr-set, not-in-cidr-set, in-port-set, not-in-port-set, in-set, not-in-set, got "less-then"`,
        `${file}: securityProfiles[0].colour: unknown key`,
        '2 problems found; nothing was applied',
        '',
      ].join('\n'),
    );
    assert.deepEqual((await body('GET', '/thing-groups')).thingGroups, []);
  });

  test('names an unset secret variable before applying anything', async () => {
    const file = await fleetFile(`thingGroups:\n  - name: quarantine\nalertTargets:
  - { name: siem, type: webhook, url: 'https://siem.example/hook', secretEnv: MISSING_SECRET }
`);
    const result = await apply(file, '--yes');
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      `${file}: alertTargets[0].secretEnv: environment variable "MISSING_SECRET" is not set; set it to the webhook secret\n1 problem found; nothing was applied\n`,
    );
    assert.deepEqual((await body('GET', '/thing-groups')).thingGroups, []);
  });

  test('sends the secret from the named variable', async () => {
    const file = await fleetFile(`alertTargets:
  - { name: siem, type: webhook, url: 'https://siem.example/hook', secretEnv: SIEM_WEBHOOK_SECRET }
`);
    assert.equal((await apply(file, '--yes')).code, 0);
    assert.equal(warden.service.alerts.hasTarget('siem'), true);
    const stored = (await body('GET', '/warden/alert-targets/siem')) as {
      secretConfigured: boolean;
    };
    assert.equal(stored.secretConfigured, true);
  });

  test('finds Warden through --data-dir', async () => {
    const file = await fleetFile('thingGroups:\n  - name: quarantine\n');
    const result = await run(runApplyCommand, ['-f', file, '--data-dir', warden.dataDir, '--yes']);
    assert.equal(result.code, 0, result.stderr);
    await body('GET', '/thing-groups/quarantine');
  });

  test('exits 2 when Warden is unreachable', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));

    const file = await fleetFile('thingGroups: []\n');
    const endpoint = `http://127.0.0.1:${port}`;
    const result = await run(runApplyCommand, ['-f', file, '--endpoint', endpoint]);
    assert.equal(result.code, 2);
    assert.equal(
      result.stderr,
      `Reading Warden's current state failed: Cannot reach Warden at ${endpoint}: ECONNREFUSED\n`,
    );
    const exported = await run(runExportCommand, ['--endpoint', endpoint]);
    assert.equal(exported.code, 2);
  });

  test('exits 2 on a usage error', async () => {
    const result = await run(runApplyCommand, ['--yes']);
    assert.equal(result.code, 2);
    assert.equal(
      result.stderr,
      'Missing fleet file: give -f FILE_OR_DIR\n\nRun "warden apply --help" for usage.\n',
    );
  });
});
