import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AddThingToThingGroupCommand,
  AttachPolicyCommand,
  AttachSecurityProfileCommand,
  AttachThingPrincipalCommand,
  CreateCustomMetricCommand,
  CreateDimensionCommand,
  CreatePolicyCommand,
  CreateSecurityProfileCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  paginateListActiveViolations,
  paginateListAttachedPolicies,
  paginateListCACertificates,
  paginateListCertificates,
  paginateListCustomMetrics,
  paginateListDimensions,
  paginateListPolicies,
  paginateListPrincipalThings,
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
} from '@aws-sdk/client-iot';
import { TestWarden } from '../../testing/harness.ts';
import { createSelfSignedTestCertificate, createTestCa } from '../../testing/pki.ts';
import { ContractClient } from './contract-client.ts';
import { CONTRACT_OPERATIONS } from './contract-operations.ts';
import { loadPaginators, loadServiceModel } from './service-model.ts';

const ACCOUNT = 'arn:aws:iot:us-east-1:123456789012';
const COUNT = 32;
const PAGE_SIZE = 7;

const names = (prefix: string) =>
  Array.from({ length: COUNT }, (_, index) => `${prefix}-${String(index).padStart(2, '0')}`);

/** One paginated operation: how to start the SDK paginator and what it must return in all. */
interface PagedCase {
  operation: string;
  pages: (client: ContractClient) => AsyncIterable<object>;
  /** Turns one result item into the text the expected list holds. */
  key: (item: any) => string;
  expected: () => string[];
}

describe('pagination through the SDK paginators', () => {
  let warden: TestWarden;
  let iot: ContractClient;
  const certificateArns: string[] = [];
  const caIds: string[] = [];
  let sharedCertificateArn = '';

  before(async () => {
    warden = await TestWarden.start();
    iot = new ContractClient(warden.endpoints.http);
    await seedRegistry();
    await seedDetect();
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
  ];

  test('every paginated contract operation is in the table', (context) => {
    const paginated = Object.keys(loadPaginators());
    // The violations suite pages these two over a device's reports.
    const elsewhere = ['ListViolationEvents', 'ListMetricValues'];
    const covered = new Set([...cases.map((entry) => entry.operation), ...elsewhere]);
    const missing = paginated.filter(
      (operation) => CONTRACT_OPERATIONS.includes(operation) && !covered.has(operation),
    );
    assert.deepEqual(missing, []);

    const served = new Set(warden.service.operations().map((route) => route.operation));
    const unpaged = paginated.filter(
      (operation) => served.has(operation) && !covered.has(operation),
    );
    if (unpaged.length > 0)
      context.diagnostic(`Paginated operations served but not paged here: ${unpaged.join(', ')}`);
  });

  for (const entry of cases) {
    test(`${entry.operation} pages ${COUNT}+ items without loss or repeats`, async () => {
      const paginator = loadPaginators()[entry.operation];
      assert.ok(paginator, `${entry.operation} has no paginator in the model`);
      const firstExchange = iot.exchanges.length;

      const seen: string[] = [];
      let pageCount = 0;
      for await (const page of entry.pages(iot)) {
        pageCount++;
        const items = (page as Record<string, unknown>)[paginator.result_key];
        assert.ok(Array.isArray(items), `page ${pageCount} has no "${paginator.result_key}" list`);
        assert.ok(items.length <= PAGE_SIZE, `page ${pageCount} has ${items.length} items`);
        seen.push(...items.map(entry.key));
      }

      const expected = entry.expected();
      assert.ok(expected.length >= COUNT);
      assert.equal(new Set(seen).size, seen.length, `repeated items: ${seen.join(', ')}`);
      assert.deepEqual([...seen].sort(), [...expected].sort());
      assert.equal(pageCount, Math.ceil(expected.length / PAGE_SIZE));
      checkWireTokens(entry.operation, iot.exchanges.slice(firstExchange));
    });
  }

  /**
   * Checks the raw exchanges used the paginator's member names: the limit in every request, the
   * token of the previous response in every later request, and no token on the last page.
   */
  function checkWireTokens(operation: string, exchanges: ContractClient['exchanges']): void {
    const paginator = loadPaginators()[operation];
    const input = loadServiceModel().shapes[`${operation}Request`]?.members ?? {};
    const limitName = input[paginator?.limit_key ?? '']?.locationName;
    const tokenName = input[paginator?.input_token ?? '']?.locationName;
    assert.ok(limitName, `${operation} has no query name for ${paginator?.limit_key}`);
    assert.ok(tokenName, `${operation} has no query name for ${paginator?.input_token}`);

    exchanges.forEach((exchange, index) => {
      assert.equal(exchange.query[limitName], String(PAGE_SIZE), `request ${index} limit`);
      const body = exchange.body as Record<string, unknown>;
      const token = body[paginator?.output_token ?? ''];
      if (index === exchanges.length - 1) assert.equal(token, undefined, 'token on the last page');
      else {
        assert.equal(typeof token, 'string', `response ${index} has no ${paginator?.output_token}`);
        assert.equal(exchanges[index + 1]?.query[tokenName], token, `request ${index + 1} token`);
      }
    });
  }
});
