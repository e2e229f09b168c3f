import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import {
  AddThingToThingGroupCommand,
  AttachPolicyCommand,
  AttachSecurityProfileCommand,
  AttachThingPrincipalCommand,
  CreateAuditSuppressionCommand,
  CreateCustomMetricCommand,
  CreateDimensionCommand,
  CreatePolicyCommand,
  CreateRoleAliasCommand,
  CreateScheduledAuditCommand,
  CreateSecurityProfileCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  paginateListActiveViolations,
  paginateListAttachedPolicies,
  paginateListAuditFindings,
  paginateListAuditSuppressions,
  paginateListAuditTasks,
  paginateListCACertificates,
  paginateListCertificates,
  paginateListCustomMetrics,
  paginateListDimensions,
  paginateListPolicies,
  paginateListPrincipalThings,
  paginateListRoleAliases,
  paginateListScheduledAudits,
  paginateListSecurityProfiles,
  paginateListSecurityProfilesForTarget,
  paginateListTargetsForPolicy,
  paginateListTargetsForSecurityProfile,
  paginateListThingGroups,
  paginateListThingPrincipals,
  paginateListThings,
  paginateListThingsInThingGroup,
  RegisterCACertificateCommand,
  RegisterCertificateWithoutCACommand,
  StartOnDemandAuditTaskCommand,
  UpdateAccountAuditConfigurationCommand,
} from '@aws-sdk/client-iot';
import { TestWarden } from '../../testing/harness.ts';
import { createSelfSignedTestCertificate, createTestCa } from '../../testing/pki.ts';
import { ContractClient } from './contract-client.ts';
import { CONTRACT_OPERATIONS } from './contract-operations.ts';
import { loadPaginators, loadServiceModel } from './service-model.ts';

const ACCOUNT = 'arn:aws:iot:us-east-1:123456789012';
const COUNT = 32;
const PAGE_SIZE = 7;
const DAY_MS = 24 * 3600 * 1000;
const EXPIRING_CHECK = 'DEVICE_CERTIFICATE_EXPIRING_CHECK';
/** An account may have at most five scheduled audits, so they page two at a time. */
const SCHEDULED_AUDIT_LIMIT = 5;
const SCHEDULE_PAGE_SIZE = 2;

/**
 * Paginated operations that another suite pages, because their items need a setup of their own:
 * a device's reports, or a shared-certificate finding with several MQTT sessions.
 */
const PAGED_ELSEWHERE: Record<string, string> = {
  ListViolationEvents: 'violations.test.ts',
  ListMetricValues: 'violations.test.ts',
  ListRelatedResourcesForAuditFinding: 'audit-tasks-and-findings.test.ts',
  ListMitigationActions: 'mitigation-actions.test.ts',
  ListAuditMitigationActionsTasks: 'audit-mitigation-tasks.test.ts',
  ListAuditMitigationActionsExecutions: 'audit-mitigation-tasks.test.ts',
  ListDetectMitigationActionsTasks: 'detect-mitigation-tasks.test.ts',
  ListDetectMitigationActionsExecutions: 'detect-mitigation-tasks.test.ts',
};

/** Paginated operations that return an error instead of pages. */
const NOT_IMPLEMENTED = ['GetBehaviorModelTrainingSummaries'];

const names = (prefix: string) =>
  Array.from({ length: COUNT }, (_, index) => `${prefix}-${String(index).padStart(2, '0')}`);

/** One paginated operation: how to start the SDK paginator and what it must return in all. */
interface PagedCase {
  operation: string;
  pages: (client: ContractClient) => AsyncIterable<object>;
  /** Turns one result item into the text the expected list holds. */
  key: (item: any) => string;
  expected: () => string[];
  /** The page size the case requests, PAGE_SIZE unless the operation has few items. */
  pageSize?: number;
  /** The minimum number of items the case must page, COUNT unless the service caps it. */
  minimum?: number;
}

describe('pagination through the SDK paginators', () => {
  let warden: TestWarden;
  let iot: ContractClient;
  const certificateArns: string[] = [];
  const caIds: string[] = [];
  const taskIds: string[] = [];
  /** The JSON body of every request sent, in order, since ContractClient records only the query. */
  const requestBodies: string[] = [];
  let sharedCertificateArn = '';
  let findingsTaskId = '';
  let auditStart = 0;

  before(async () => {
    warden = await TestWarden.start();
    iot = new ContractClient(warden.endpoints.http);
    recordRequestBodies(iot, requestBodies);
    await seedRegistry();
    await seedDetect();
    await seedAudit();
  });

  after(async () => {
    iot?.sdk.destroy();
    await warden?.stop();
  });

  async function registerCertificate(name: string): Promise<string> {
    const certificate = await createSelfSignedTestCertificate(name);
    const { certificateArn } = await iot.send(
      new RegisterCertificateWithoutCACommand({
        certificatePem: certificate.certPem,
        status: 'ACTIVE',
      }),
    );
    return certificateArn ?? '';
  }

  async function seedRegistry(): Promise<void> {
    sharedCertificateArn = await registerCertificate('shared');
    await iot.send(new CreateThingGroupCommand({ thingGroupName: 'root' }));
    for (const name of names('thing')) {
      await iot.send(new CreateThingCommand({ thingName: name }));
      await iot.send(
        new AttachThingPrincipalCommand({ thingName: name, principal: sharedCertificateArn }),
      );
      await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'root', thingName: name }));
    }
    for (const name of names('device-cert')) {
      const arn = await registerCertificate(name);
      certificateArns.push(arn);
      await iot.send(new AttachThingPrincipalCommand({ thingName: 'thing-00', principal: arn }));
    }
    for (const name of names('ca')) {
      const ca = await createTestCa(name);
      const { certificateId } = await iot.send(
        new RegisterCACertificateCommand({ caCertificate: ca.certPem }),
      );
      caIds.push(certificateId ?? '');
    }
    for (const name of names('group')) {
      await iot.send(
        new CreateThingGroupCommand({ thingGroupName: name, parentGroupName: 'root' }),
      );
    }
    const policyDocument = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }],
    });
    for (const name of names('policy')) {
      await iot.send(new CreatePolicyCommand({ policyName: name, policyDocument }));
      await iot.send(new AttachPolicyCommand({ policyName: name, target: sharedCertificateArn }));
    }
    for (const name of names('group')) {
      await iot.send(
        new AttachPolicyCommand({
          policyName: 'policy-00',
          target: `${ACCOUNT}:thinggroup/${name}`,
        }),
      );
    }
  }

  async function seedDetect(): Promise<void> {
    for (const name of names('profile')) {
      await iot.send(new CreateSecurityProfileCommand({ securityProfileName: name }));
    }
    for (const name of names('group')) {
      await iot.send(
        new AttachSecurityProfileCommand({
          securityProfileName: 'profile-00',
          securityProfileTargetArn: `${ACCOUNT}:thinggroup/${name}`,
        }),
      );
    }
    for (const name of names('metric')) {
      await iot.send(new CreateCustomMetricCommand({ metricName: name, metricType: 'number' }));
    }
    for (const name of names('dimension')) {
      await iot.send(
        new CreateDimensionCommand({ name, type: 'TOPIC_FILTER', stringValues: [`${name}/#`] }),
      );
    }
    await iot.send(
      new CreateSecurityProfileCommand({
        securityProfileName: 'listeners',
        behaviors: [
          {
            name: 'few-listeners',
            metric: 'aws:num-listening-tcp-ports',
            criteria: { comparisonOperator: 'less-than-equals', value: { count: 1 } },
          },
        ],
      }),
    );
    await iot.send(
      new AttachSecurityProfileCommand({
        securityProfileName: 'listeners',
        securityProfileTargetArn: `${ACCOUNT}:all/things`,
      }),
    );
    // Unregistered devices reporting over HTTP raise one violation each.
    for (const name of names('roaming')) {
      const report = {
        header: { report_id: 1, version: '1.0' },
        metrics: { listening_tcp_ports: { ports: [{ port: 22 }, { port: 80 }], total: 2 } },
      };
      const response = await warden.api('POST', `/metrics/${name}`, report);
      assert.equal(response.status, 200, JSON.stringify(response.body));
    }
  }

  async function seedAudit(): Promise<void> {
    // Every device certificate expires within a year, so each one is an expiring finding.
    await iot.send(
      new UpdateAccountAuditConfigurationCommand({
        roleArn: 'arn:aws:iam::123456789012:role/audit',
        auditCheckConfigurations: {
          [EXPIRING_CHECK]: {
            enabled: true,
            configuration: { CERT_EXPIRATION_THRESHOLD_IN_DAYS: '365' },
          },
          LOGGING_DISABLED_CHECK: { enabled: true },
        },
      }),
    );
    auditStart = Date.now();
    for (let index = 0; index < COUNT; index++) {
      const checks = index === 0 ? [EXPIRING_CHECK] : ['LOGGING_DISABLED_CHECK'];
      const { taskId } = await iot.send(
        new StartOnDemandAuditTaskCommand({ targetCheckNames: checks }),
      );
      await warden.service.audit.tasks.finished(taskId ?? '');
      taskIds.push(taskId ?? '');
    }
    findingsTaskId = taskIds[0] ?? '';

    // Expiration dates repeat, so ties must not reorder the list between pages.
    const today = Math.floor(Date.now() / 1000) * 1000;
    for (const [index, arn] of certificateArns.entries()) {
      const expiry =
        index % 4 === 3
          ? { suppressIndefinitely: true }
          : { expirationDate: new Date(today + ((index % 3) + 1) * DAY_MS) };
      await iot.send(
        new CreateAuditSuppressionCommand({
          checkName: EXPIRING_CHECK,
          resourceIdentifier: { deviceCertificateId: certificateId(arn) },
          ...expiry,
        }),
      );
    }

    for (const name of names('alias')) {
      await iot.send(
        new CreateRoleAliasCommand({
          roleAlias: name,
          roleArn: 'arn:aws:iam::123456789012:role/fleet-device',
        }),
      );
    }
    for (const name of names('schedule').slice(0, SCHEDULED_AUDIT_LIMIT)) {
      await iot.send(
        new CreateScheduledAuditCommand({
          scheduledAuditName: name,
          frequency: 'DAILY',
          targetCheckNames: ['LOGGING_DISABLED_CHECK'],
        }),
      );
    }
  }

  const cases: PagedCase[] = [
    {
      operation: 'ListThings',
      pages: (client) => paginateListThings({ client: client.sdk, pageSize: PAGE_SIZE }, {}),
      key: (thing) => thing.thingName,
      expected: () => names('thing'),
    },
    {
      operation: 'ListThingGroups',
      pages: (client) =>
        paginateListThingGroups(
          { client: client.sdk, pageSize: PAGE_SIZE },
          { parentGroup: 'root' },
        ),
      key: (group) => group.groupName,
      expected: () => names('group'),
    },
    {
      operation: 'ListThingsInThingGroup',
      pages: (client) =>
        paginateListThingsInThingGroup(
          { client: client.sdk, pageSize: PAGE_SIZE },
          { thingGroupName: 'root' },
        ),
      key: (name) => name,
      expected: () => names('thing'),
    },
    {
      operation: 'ListCACertificates',
      pages: (client) =>
        paginateListCACertificates({ client: client.sdk, pageSize: PAGE_SIZE }, {}),
      key: (certificate) => certificate.certificateId,
      expected: () => caIds,
    },
    {
      operation: 'ListCertificates',
      pages: (client) => paginateListCertificates({ client: client.sdk, pageSize: PAGE_SIZE }, {}),
      key: (certificate) => certificate.certificateArn,
      expected: () => [sharedCertificateArn, ...certificateArns],
    },
    {
      operation: 'ListPolicies',
      pages: (client) => paginateListPolicies({ client: client.sdk, pageSize: PAGE_SIZE }, {}),
      key: (policy) => policy.policyName,
      expected: () => names('policy'),
    },
    {
      operation: 'ListAttachedPolicies',
      pages: (client) =>
        paginateListAttachedPolicies(
          { client: client.sdk, pageSize: PAGE_SIZE },
          { target: sharedCertificateArn },
        ),
      key: (policy) => policy.policyName,
      expected: () => names('policy'),
    },
    {
      operation: 'ListTargetsForPolicy',
      pages: (client) =>
        paginateListTargetsForPolicy(
          { client: client.sdk, pageSize: PAGE_SIZE },
          { policyName: 'policy-00' },
        ),
      key: (target) => target,
      expected: () => [
        sharedCertificateArn,
        ...names('group').map((name) => `${ACCOUNT}:thinggroup/${name}`),
      ],
    },
    {
      operation: 'ListThingPrincipals',
      pages: (client) =>
        paginateListThingPrincipals(
          { client: client.sdk, pageSize: PAGE_SIZE },
          { thingName: 'thing-00' },
        ),
      key: (principal) => principal,
      expected: () => [sharedCertificateArn, ...certificateArns],
    },
    {
      operation: 'ListPrincipalThings',
      pages: (client) =>
        paginateListPrincipalThings(
          { client: client.sdk, pageSize: PAGE_SIZE },
          { principal: sharedCertificateArn },
        ),
      key: (name) => name,
      expected: () => names('thing'),
    },
    {
      operation: 'ListSecurityProfiles',
      pages: (client) =>
        paginateListSecurityProfiles({ client: client.sdk, pageSize: PAGE_SIZE }, {}),
      key: (identifier) => identifier.name,
      expected: () => [...names('profile'), 'listeners'],
    },
    {
      operation: 'ListTargetsForSecurityProfile',
      pages: (client) =>
        paginateListTargetsForSecurityProfile(
          { client: client.sdk, pageSize: PAGE_SIZE },
          { securityProfileName: 'profile-00' },
        ),
      key: (target) => target.arn,
      expected: () => names('group').map((name) => `${ACCOUNT}:thinggroup/${name}`),
    },
    {
      operation: 'ListSecurityProfilesForTarget',
      pages: (client) =>
        paginateListSecurityProfilesForTarget(
          { client: client.sdk, pageSize: PAGE_SIZE },
          { securityProfileTargetArn: `${ACCOUNT}:thinggroup/root`, recursive: true },
        ),
      key: (mapping) => `${mapping.securityProfileIdentifier.name}@${mapping.target.arn}`,
      expected: () => names('group').map((name) => `profile-00@${ACCOUNT}:thinggroup/${name}`),
    },
    {
      operation: 'ListCustomMetrics',
      pages: (client) => paginateListCustomMetrics({ client: client.sdk, pageSize: PAGE_SIZE }, {}),
      key: (name) => name,
      expected: () => names('metric'),
    },
    {
      operation: 'ListDimensions',
      pages: (client) => paginateListDimensions({ client: client.sdk, pageSize: PAGE_SIZE }, {}),
      key: (name) => name,
      expected: () => names('dimension'),
    },
    {
      operation: 'ListActiveViolations',
      pages: (client) =>
        paginateListActiveViolations({ client: client.sdk, pageSize: PAGE_SIZE }, {}),
      key: (violation) => violation.thingName,
      expected: () => names('roaming'),
    },
    {
      operation: 'ListAuditTasks',
      pages: (client) =>
        paginateListAuditTasks(
          { client: client.sdk, pageSize: PAGE_SIZE },
          { startTime: new Date(auditStart - 1000), endTime: new Date(Date.now() + 1000) },
        ),
      key: (task) => task.taskId,
      expected: () => taskIds,
    },
    {
      operation: 'ListAuditFindings',
      pages: (client) =>
        paginateListAuditFindings(
          { client: client.sdk, pageSize: PAGE_SIZE },
          { taskId: findingsTaskId },
        ),
      key: (finding) => finding.nonCompliantResource.resourceIdentifier.deviceCertificateId,
      expected: () => [sharedCertificateArn, ...certificateArns].map(certificateId),
    },
    {
      operation: 'ListAuditSuppressions',
      pages: (client) =>
        paginateListAuditSuppressions(
          { client: client.sdk, pageSize: PAGE_SIZE },
          { checkName: EXPIRING_CHECK },
        ),
      key: (suppression) => suppression.resourceIdentifier.deviceCertificateId,
      expected: () => certificateArns.map(certificateId),
    },
    {
      operation: 'ListRoleAliases',
      pages: (client) => paginateListRoleAliases({ client: client.sdk, pageSize: PAGE_SIZE }, {}),
      key: (name) => name,
      expected: () => names('alias'),
    },
    {
      operation: 'ListScheduledAudits',
      pages: (client) =>
        paginateListScheduledAudits({ client: client.sdk, pageSize: SCHEDULE_PAGE_SIZE }, {}),
      key: (audit) => audit.scheduledAuditName,
      expected: () => names('schedule').slice(0, SCHEDULED_AUDIT_LIMIT),
      pageSize: SCHEDULE_PAGE_SIZE,
      minimum: SCHEDULED_AUDIT_LIMIT,
    },
  ];

  test('every paginated operation served is paged', () => {
    const paginated = Object.keys(loadPaginators());
    const covered = new Set([
      ...cases.map((entry) => entry.operation),
      ...Object.keys(PAGED_ELSEWHERE),
    ]);
    const missing = paginated.filter(
      (operation) =>
        CONTRACT_OPERATIONS.includes(operation) &&
        !covered.has(operation) &&
        !NOT_IMPLEMENTED.includes(operation),
    );
    assert.deepEqual(missing, [], 'paginated contract operations that no suite pages');

    // A not-implemented operation returns an error and has no pages.
    const served = new Set(
      warden.service
        .operations()
        .filter((route) => route.notImplemented === undefined)
        .map((route) => route.operation),
    );
    const unpaged = paginated.filter(
      (operation) => served.has(operation) && !covered.has(operation),
    );
    assert.deepEqual(unpaged, [], 'paginated operations served but not paged');

    for (const [operation, file] of Object.entries(PAGED_ELSEWHERE)) {
      const source = readFileSync(new URL(file, import.meta.url), 'utf8');
      assert.ok(source.includes(`paginate${operation}(`), `${file} does not page ${operation}`);
    }
  });

  for (const entry of cases) {
    const minimum = entry.minimum ?? COUNT;
    test(`${entry.operation} pages ${minimum}+ items without loss or repeats`, async () => {
      const paginator = loadPaginators()[entry.operation];
      assert.ok(paginator, `${entry.operation} has no paginator in the model`);
      const pageSize = entry.pageSize ?? PAGE_SIZE;
      const firstExchange = iot.exchanges.length;
      const firstRequest = requestBodies.length;

      const seen: string[] = [];
      let pageCount = 0;
      for await (const page of entry.pages(iot)) {
        pageCount++;
        const items = (page as Record<string, unknown>)[paginator.result_key];
        assert.ok(Array.isArray(items), `page ${pageCount} has no "${paginator.result_key}" list`);
        assert.ok(items.length <= pageSize, `page ${pageCount} has ${items.length} items`);
        seen.push(...items.map(entry.key));
      }

      const expected = entry.expected();
      assert.ok(expected.length >= minimum, `only ${expected.length} items were seeded`);
      assert.equal(new Set(seen).size, seen.length, `repeated items: ${seen.join(', ')}`);
      assert.deepEqual([...seen].sort(), [...expected].sort());
      assert.equal(pageCount, Math.ceil(expected.length / pageSize));
      checkWireTokens(entry.operation, pageSize, {
        exchanges: iot.exchanges.slice(firstExchange),
        bodies: requestBodies.slice(firstRequest),
      });
    });
  }

  /**
   * Checks the raw exchanges used the paginator's member names: the limit in every request, the
   * token of the previous response in every later request, and no token on the last page. The
   * members travel in the query string or, for POST operations, in the JSON request body.
   */
  function checkWireTokens(
    operation: string,
    pageSize: number,
    sent: { exchanges: ContractClient['exchanges']; bodies: string[] },
  ): void {
    const paginator = loadPaginators()[operation];
    assert.ok(paginator, `${operation} has no paginator in the model`);
    const input = loadServiceModel().shapes[`${operation}Request`]?.members ?? {};
    const requestMember = (index: number, name: string): unknown => {
      const member = input[name];
      assert.ok(member, `${operation}Request has no member ${name}`);
      if (member.location === 'querystring')
        return sent.exchanges[index]?.query[member.locationName ?? name];
      const body = sent.bodies[index] ?? '';
      return body === '' ? undefined : (JSON.parse(body) as Record<string, unknown>)[name];
    };
    assert.equal(sent.bodies.length, sent.exchanges.length, 'requests and responses recorded');

    sent.exchanges.forEach((exchange, index) => {
      const limit = requestMember(index, paginator.limit_key);
      assert.equal(String(limit), String(pageSize), `request ${index} limit`);
      const body = exchange.body as Record<string, unknown>;
      const token = body[paginator.output_token];
      if (index === sent.exchanges.length - 1)
        assert.equal(token, undefined, 'token on the last page');
      else {
        assert.equal(typeof token, 'string', `response ${index} has no ${paginator.output_token}`);
        assert.equal(
          requestMember(index + 1, paginator.input_token),
          token,
          `request ${index + 1} token`,
        );
      }
    });
  }
});

function certificateId(arn: string): string {
  return arn.split('/')[1] ?? '';
}

/** Records the JSON body of every request the client sends, empty for a request without one. */
function recordRequestBodies(client: ContractClient, bodies: string[]): void {
  const record =
    (next: (args: { request: { body?: unknown } }) => Promise<unknown>) =>
    async (args: { request: { body?: unknown } }) => {
      const body = args.request.body;
      if (typeof body === 'string') bodies.push(body);
      else if (body instanceof Uint8Array) bodies.push(Buffer.from(body).toString('utf8'));
      else bodies.push('');
      return next(args);
    };
  // The stack's overloads type the middleware by step; this one reads only the request.
  client.sdk.middlewareStack.add(record as never, {
    step: 'finalizeRequest',
    name: 'recordRequestBodies',
  });
}
