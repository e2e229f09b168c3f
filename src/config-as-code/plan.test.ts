import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { WardenApiClient } from '../client/warden-api-client.ts';
import { TestWarden } from '../testing/harness.ts';
import { FleetApi } from './fleet-api.ts';
import { loadFleet } from './fleet-merge.ts';
import { readCurrentFleet } from './fleet-reader.ts';
import { buildPlan, type Plan } from './plan.ts';
import { formatPlan } from './plan-format.ts';
import { formatProblem } from './problems.ts';

const HEAD = 'apiVersion: warden/v1\nkind: FleetSecurity\n';
const ROLE = 'arn:aws:iam::123456789012:role/warden';

describe('planning against a running Warden', () => {
  let warden: TestWarden;
  let dir: string;
  let fileCount = 0;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'warden-plan-'));
  });

  beforeEach(async () => {
    await warden?.stop();
    warden = await TestWarden.start();
  });

  after(async () => {
    await warden?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function plan(text: string, options: { prune?: boolean; env?: object } = {}) {
    const file = path.join(dir, `fleet-${(fileCount += 1)}.yaml`);
    await writeFile(file, `${HEAD}${text}`);
    const loaded = await loadFleet([file]);
    assert.deepEqual(loaded.problems.map(formatProblem), []);
    const api = new FleetApi(
      new WardenApiClient({ endpoint: warden.endpoints.http, credentials: warden.credentials }),
    );
    const current = await readCurrentFleet(api, loaded.desired!.managed);
    const env = (options.env ?? {}) as NodeJS.ProcessEnv;
    const result: Plan = buildPlan(loaded.desired!, current, {
      prune: options.prune ?? false,
      env,
    });
    return { plan: result, file, api };
  }

  async function call(method: string, pathAndQuery: string, body?: unknown) {
    const response = await warden.api(method, pathAndQuery, body);
    assert.ok(response.status < 300, `${method} ${pathAndQuery}: ${JSON.stringify(response.body)}`);
    return response.body;
  }

  test('plans a create for every resource Warden lacks', async () => {
    const { plan: result, api } = await plan(`thingGroups:
  - name: quarantine
customMetrics:
  - { name: firmware-errors, metricType: number }
securityProfiles:
  - name: ports
    targets: [quarantine]
    behaviors:
      - name: few-ports
        metric: aws:num-listening-tcp-ports
        criteria: { comparisonOperator: less-than, value: { count: 5 } }
`);
    assert.deepEqual(result.problems, []);
    assert.equal(
      formatPlan(result),
      [
        'Thing groups',
        '  + quarantine',
        '',
        'Custom metrics',
        '  + firmware-errors',
        '',
        'Security profiles',
        '  + ports',
        '',
        'Plan: 3 to create, 0 to change, 0 to delete',
        '',
      ].join('\n'),
    );
    assert.equal(api.writes, 0);
  });

  test('plans a change with the fields it sets', async () => {
    await call('POST', '/thing-groups/fleet', {});
    await call('POST', '/thing-groups/quarantine', {});
    await call('POST', '/dimensions/topics', {
      type: 'TOPIC_FILTER',
      stringValues: ['a/#'],
      clientRequestToken: 'token-1',
    });
    await call('POST', '/security-profiles/ports', {
      securityProfileDescription: 'Open ports',
      behaviors: [
        {
          name: 'few-ports',
          metric: 'aws:num-listening-tcp-ports',
          criteria: { comparisonOperator: 'less-than', value: { count: 5 } },
        },
        {
          name: 'known-ports',
          metric: 'aws:listening-tcp-ports',
          criteria: { comparisonOperator: 'in-port-set', value: { ports: [443] } },
        },
      ],
    });
    await call(
      'PUT',
      `/security-profiles/ports/targets?securityProfileTargetArn=${encodeURIComponent('arn:aws:iot:us-east-1:123456789012:thinggroup/fleet')}`,
    );

    const { plan: result } = await plan(`dimensions:
  - { name: topics, stringValues: [a/#, b/#] }
securityProfiles:
  - name: ports
    targets: [quarantine]
    behaviors:
      - name: few-ports
        metric: aws:num-listening-tcp-ports
        criteria: { comparisonOperator: less-than, value: { count: 8 } }
      - name: no-messages
        metric: aws:num-messages-sent
        criteria: { comparisonOperator: less-than-equals, value: { count: 0 }, durationSeconds: 300 }
`);
    assert.deepEqual(result.problems, []);
    assert.equal(
      formatPlan(result),
      [
        'Dimensions',
        '  ~ topics',
        '      stringValues: ["a/#"] -> ["a/#","b/#"]',
        '',
        'Security profiles',
        '  ~ ports',
        '      description: "Open ports" -> (none)',
        '      behaviors["few-ports"].criteria.value.count: 5 -> 8',
        '      behaviors["no-messages"]: (none) -> {"name":"no-messages","metric":"aws:num-messages-sent","criteria":{"comparisonOperator":"less-than-equals","value":{"count":0},"durationSeconds":300}}',
        '      behaviors["known-ports"]: {"name":"known-ports","metric":"aws:listening-tcp-ports","criteria":{"comparisonOperator":"in-port-set","value":{"ports":[443]}}} -> (none)',
        '      targets: ["fleet"] -> ["quarantine"]',
        '',
        'Plan: 0 to create, 2 to change, 0 to delete',
        '',
      ].join('\n'),
    );
  });

  test('plans no change for a resource as Warden stores it', async () => {
    await call('POST', '/custom-metric/errors', {
      metricType: 'number',
      clientRequestToken: 'token-1',
    });
    await call('POST', '/security-profiles/errors', {
      behaviors: [
        {
          name: 'few-errors',
          metric: 'errors',
          criteria: { comparisonOperator: 'less-than', value: { count: 3 } },
        },
      ],
    });

    // Warden stores `count` of a custom number metric as `number`; both spellings mean the same.
    const { plan: result } = await plan(`securityProfiles:
  - name: errors
    description: ''
    targets: []
    behaviors:
      - name: few-errors
        metric: errors
        criteria: { comparisonOperator: less-than, value: { count: 3 } }
`);
    assert.deepEqual(result.changes, []);
    assert.equal(formatPlan(result), 'No changes: Warden matches the fleet files\n');
  });

  test('keeps resources the file lacks unless pruning', async () => {
    await call('POST', '/thing-groups/legacy', {});
    await call('POST', '/dimensions/old-topics', {
      type: 'TOPIC_FILTER',
      stringValues: ['old/#'],
      clientRequestToken: 'token-1',
    });
    const text = 'thingGroups:\n  - name: quarantine\n';

    const kept = await plan(text);
    assert.equal(
      formatPlan(kept.plan),
      [
        'Thing groups',
        '  + quarantine',
        '  = legacy (not in the files, kept)',
        '',
        'Plan: 1 to create, 0 to change, 0 to delete',
        '1 resource is not in the files and kept; run with --prune to delete them',
        '',
      ].join('\n'),
    );

    // Dimensions are not a section of the file, so pruning leaves them alone.
    const pruned = await plan(text, { prune: true });
    assert.equal(
      formatPlan(pruned.plan),
      [
        'Thing groups',
        '  + quarantine',
        '  - legacy',
        '',
        'Plan: 1 to create, 0 to change, 1 to delete',
        '',
      ].join('\n'),
    );
  });

  test('an empty section prunes every resource of its kind', async () => {
    await call('POST', '/thing-groups/one', {});
    await call('POST', '/thing-groups/two', {});
    const { plan: result } = await plan('thingGroups: []\n', { prune: true });
    assert.deepEqual(
      result.changes.map((change) => `${change.action} ${change.label}`),
      ['delete one', 'delete two'],
    );
  });

  test('reports problems that only Warden state reveals', async () => {
    await call('POST', '/custom-metric/errors', {
      metricType: 'number',
      clientRequestToken: 'token-1',
    });
    await call('POST', '/thing-groups/fleet', {});
    await call('POST', '/thing-groups/child', { parentGroupName: 'fleet' });

    const { plan: result, file } = await plan(
      `alertTargets:
  - { name: siem, type: webhook, url: 'https://siem.example/hook', secretEnv: SIEM_SECRET }
  - { name: pager, type: webhook, url: 'https://pager.example/hook', secretEnv: PAGER_SECRET }
thingGroups:
  - name: child
customMetrics:
  - { name: errors, metricType: string-list }
auditConfiguration:
  roleArn: ${ROLE}
  auditCheckConfigurations:
    LOGGING_DISABLED_CHECK: { enabled: true }
    NO_SUCH_CHECK: { enabled: true }
scheduledAudits:
  - { name: daily, frequency: DAILY, targetCheckNames: [LOGGING_DISABLED_CHECK, CA_CERTIFICATE_EXPIRING_CHECK] }
securityProfiles:
  - name: ports
    targets: [child, missing-group, all/things]
    behaviors:
      - name: known-ports
        metric: aws:listening-tcp-ports
        criteria: { comparisonOperator: less-than, value: { count: 3 } }
`,
      { env: { PAGER_SECRET: 'short' } },
    );

    const offered = result.context.current.facts.auditCheckNames!.join(', ');
    assert.deepEqual(result.problems.map(formatProblem), [
      `${file}: alertTargets[0].secretEnv: environment variable "SIEM_SECRET" is not set; set it to the webhook secret`,
      `${file}: alertTargets[1].secretEnv: environment variable "PAGER_SECRET" must hold at least 16 characters, got 5`,
      `${file}: thingGroups[0].parent: cannot change the parent of thing group "child" from "fleet"; delete the group and create it again, or keep its parent`,
      `${file}: customMetrics[0].metricType: cannot change the type of custom metric "errors" from number to string-list; delete the metric and create it again, or keep its type`,
      `${file}: auditConfiguration.auditCheckConfigurations.NO_SUCH_CHECK: unknown audit check; Warden offers ${offered}`,
      `${file}: scheduledAudits[0].targetCheckNames[1]: check "CA_CERTIFICATE_EXPIRING_CHECK" is not enabled in the audit configuration; enable it in auditConfiguration.auditCheckConfigurations`,
      `${file}: securityProfiles[0].behaviors[0].criteria.comparisonOperator: operator "less-than" is not valid for metric "aws:listening-tcp-ports"; use in-port-set or not-in-port-set`,
      `${file}: securityProfiles[0].behaviors[0].criteria.value.count: value member "count" does not match metric "aws:listening-tcp-ports"; use "value.ports"`,
      `${file}: securityProfiles[0].targets[1]: thing group "missing-group" is not in the file and does not exist in Warden`,
    ]);
  });
});
