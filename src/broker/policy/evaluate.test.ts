import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { PolicyDecision } from './authorizer.ts';
import { compilePolicy } from './compiled-policy.ts';
import { evaluate } from './evaluate.ts';
import type { PolicyContext } from './policy-context.ts';

const ARN = 'arn:aws:iot:us-east-1:123456789012:';

const CONTEXT: PolicyContext = {
  clientId: 'sensor-1',
  thingName: 'sensor-1',
  thingTypeName: 'thermometer',
  thingAttributes: { site: 'plant-7' },
  isAttached: true,
  sourceIp: '203.0.113.7',
  certificate: {
    serialNumber: '0a1b',
    subject: { CommonName: 'sensor-1.example.com', Organization: ['Example Corp', 'AnyCompany'] },
    issuer: { CommonName: 'Example Device CA' },
  },
  region: 'us-east-1',
  accountId: '123456789012',
  now: Date.UTC(2026, 0, 15, 12, 0, 0),
};

const UNATTACHED = { isAttached: false };

type Statement = Record<string, unknown>;

interface Case {
  name: string;
  /** One statement list per policy; policies are named p0, p1, ... */
  policies: Statement[][];
  action: string;
  resource: string;
  /** Fields to override; `undefined` removes a field from the base context. */
  context?: { [K in keyof PolicyContext]?: PolicyContext[K] | undefined };
  version?: string;
  expected: PolicyDecision;
}

function allow(
  action: string | string[],
  resource: string | string[],
  extra: Statement = {},
): Statement {
  return { Effect: 'Allow', Action: action, Resource: resource, ...extra };
}

function deny(
  action: string | string[],
  resource: string | string[],
  extra: Statement = {},
): Statement {
  return { Effect: 'Deny', Action: action, Resource: resource, ...extra };
}

const allowed = (policyName: string, index: number, sid?: string): PolicyDecision => ({
  decision: 'allow',
  statement: sid === undefined ? { policyName, index } : { policyName, sid, index },
});
const denied = (policyName: string, index: number, sid?: string): PolicyDecision => ({
  decision: 'explicit-deny',
  statement: sid === undefined ? { policyName, index } : { policyName, sid, index },
});
const IMPLICIT: PolicyDecision = { decision: 'implicit-deny' };

const THING_TOPIC = `${ARN}topic/\${iot:Connection.Thing.ThingName}/*`;

const CASES: Case[] = [
  {
    name: 'Allow on the exact client ARN',
    policies: [[allow('iot:Connect', `${ARN}client/sensor-1`)]],
    action: 'iot:Connect',
    resource: `${ARN}client/sensor-1`,
    expected: allowed('p0', 0),
  },
  {
    name: 'no matching statement is an implicit deny',
    policies: [[allow('iot:Publish', `${ARN}topic/telemetry`)]],
    action: 'iot:Publish',
    resource: `${ARN}topic/commands`,
    expected: IMPLICIT,
  },
  {
    name: 'no policies is an implicit deny',
    policies: [],
    action: 'iot:Connect',
    resource: `${ARN}client/sensor-1`,
    expected: IMPLICIT,
  },
  {
    name: 'Deny wins over an earlier Allow in the same policy',
    policies: [
      [
        allow('iot:Publish', `${ARN}topic/*`),
        deny('iot:Publish', `${ARN}topic/admin`, { Sid: 'NoAdmin' }),
      ],
    ],
    action: 'iot:Publish',
    resource: `${ARN}topic/admin`,
    expected: denied('p0', 1, 'NoAdmin'),
  },
  {
    name: 'Deny in one policy overrides Allow in another',
    policies: [[allow('iot:*', '*')], [deny('iot:Publish', `${ARN}topic/admin/*`)]],
    action: 'iot:Publish',
    resource: `${ARN}topic/admin/reboot`,
    expected: denied('p1', 0),
  },
  {
    name: 'Allow in one policy still applies where the other policy denies something else',
    policies: [[allow('iot:*', '*')], [deny('iot:Publish', `${ARN}topic/admin/*`)]],
    action: 'iot:Publish',
    resource: `${ARN}topic/telemetry`,
    expected: allowed('p0', 0),
  },
  {
    name: 'the first matching Allow is reported',
    policies: [[allow('iot:Publish', `${ARN}topic/a`)], [allow('iot:*', '*', { Sid: 'All' })]],
    action: 'iot:Publish',
    resource: `${ARN}topic/a`,
    expected: allowed('p0', 0),
  },
  {
    name: 'NotAction allows every other action',
    policies: [[{ Effect: 'Allow', NotAction: 'iot:Publish', Resource: '*' }]],
    action: 'iot:Subscribe',
    resource: `${ARN}topicfilter/a/#`,
    expected: allowed('p0', 0),
  },
  {
    name: 'NotAction does not cover the listed action',
    policies: [[{ Effect: 'Allow', NotAction: ['iot:Publish', 'iot:Receive'], Resource: '*' }]],
    action: 'iot:Publish',
    resource: `${ARN}topic/a`,
    expected: IMPLICIT,
  },
  {
    name: 'NotResource allows resources outside the list',
    policies: [[{ Effect: 'Allow', Action: 'iot:Publish', NotResource: `${ARN}topic/admin/*` }]],
    action: 'iot:Publish',
    resource: `${ARN}topic/telemetry`,
    expected: allowed('p0', 0),
  },
  {
    name: 'NotResource does not cover listed resources',
    policies: [[{ Effect: 'Allow', Action: 'iot:Publish', NotResource: `${ARN}topic/admin/*` }]],
    action: 'iot:Publish',
    resource: `${ARN}topic/admin/reboot`,
    expected: IMPLICIT,
  },
  {
    name: '* spans topic levels',
    policies: [[allow('iot:Publish', `${ARN}topic/sensors/*`)]],
    action: 'iot:Publish',
    resource: `${ARN}topic/sensors/a/b/c`,
    expected: allowed('p0', 0),
  },
  {
    name: '? matches one character',
    policies: [[allow('iot:Publish', `${ARN}topic/room?`)]],
    action: 'iot:Publish',
    resource: `${ARN}topic/room1`,
    expected: allowed('p0', 0),
  },
  {
    name: '? does not match two characters',
    policies: [[allow('iot:Publish', `${ARN}topic/room?`)]],
    action: 'iot:Publish',
    resource: `${ARN}topic/room12`,
    expected: IMPLICIT,
  },
  {
    name: 'iot:* covers iot:Receive',
    policies: [[allow('iot:*', `${ARN}topic/*`)]],
    action: 'iot:Receive',
    resource: `${ARN}topic/alerts`,
    expected: allowed('p0', 0),
  },
  {
    name: 'a bare * action covers every action',
    policies: [[allow('*', '*')]],
    action: 'iot:UpdateThingShadow',
    resource: `${ARN}thing/sensor-1`,
    expected: allowed('p0', 0),
  },
  {
    name: 'action wildcard iot:Pub* covers iot:Publish',
    policies: [[allow('iot:Pub*', '*')]],
    action: 'iot:Publish',
    resource: `${ARN}topic/a`,
    expected: allowed('p0', 0),
  },
  {
    name: 'action wildcard iot:Pub* does not cover iot:Subscribe',
    policies: [[allow('iot:Pub*', '*')]],
    action: 'iot:Subscribe',
    resource: `${ARN}topicfilter/a`,
    expected: IMPLICIT,
  },
  {
    name: 'action names compare case-insensitively',
    policies: [[allow('IOT:publish', '*')]],
    action: 'iot:Publish',
    resource: `${ARN}topic/a`,
    expected: allowed('p0', 0),
  },
  {
    name: 'resource ARNs compare case-sensitively',
    policies: [[allow('iot:Publish', `${ARN}topic/Alerts`)]],
    action: 'iot:Publish',
    resource: `${ARN}topic/alerts`,
    expected: IMPLICIT,
  },
  {
    name: 'another account is not covered',
    policies: [[allow('iot:Publish', `${ARN}topic/*`)]],
    action: 'iot:Publish',
    resource: 'arn:aws:iot:us-east-1:999999999999:topic/a',
    expected: IMPLICIT,
  },
  {
    name: '${iot:ClientId} in a client ARN allows the own client ID',
    policies: [[allow('iot:Connect', `${ARN}client/\${iot:ClientId}`)]],
    action: 'iot:Connect',
    resource: `${ARN}client/sensor-1`,
    expected: allowed('p0', 0),
  },
  {
    name: '${iot:ClientId} in a client ARN does not allow another client ID',
    policies: [[allow('iot:Connect', `${ARN}client/\${iot:ClientId}`)]],
    action: 'iot:Connect',
    resource: `${ARN}client/sensor-2`,
    expected: IMPLICIT,
  },
  {
    name: '${iot:ClientId} in a topic ARN allows the own prefix',
    policies: [[allow('iot:Publish', `${ARN}topic/devices/\${iot:ClientId}/*`)]],
    action: 'iot:Publish',
    resource: `${ARN}topic/devices/sensor-1/temperature`,
    expected: allowed('p0', 0),
  },
  {
    name: '${iot:ClientId} in a topic ARN does not allow another prefix',
    policies: [[allow('iot:Publish', `${ARN}topic/devices/\${iot:ClientId}/*`)]],
    action: 'iot:Publish',
    resource: `${ARN}topic/devices/sensor-2/temperature`,
    expected: IMPLICIT,
  },
  {
    name: 'a client ID containing * stays literal',
    policies: [[allow('iot:Publish', `${ARN}topic/\${iot:ClientId}/data`)]],
    action: 'iot:Publish',
    resource: `${ARN}topic/sensor-9/data`,
    context: { clientId: '*' },
    expected: IMPLICIT,
  },
  {
    name: 'a client ID of + matches only the literal + level',
    policies: [[allow('iot:Subscribe', `${ARN}topicfilter/my/\${iot:ClientId}/topic`)]],
    action: 'iot:Subscribe',
    resource: `${ARN}topicfilter/my/+/topic`,
    context: { clientId: '+' },
    expected: allowed('p0', 0),
  },
  {
    name: '${iot:Connection.Thing.ThingName} resolves for an attached thing',
    policies: [[allow('iot:Publish', THING_TOPIC)]],
    action: 'iot:Publish',
    resource: `${ARN}topic/sensor-1/temperature`,
    expected: allowed('p0', 0),
  },
  {
    name: '${iot:Connection.Thing.ThingName} stays unresolved without an attached thing',
    policies: [[allow('iot:Publish', THING_TOPIC)]],
    action: 'iot:Publish',
    resource: `${ARN}topic/sensor-1/temperature`,
    context: UNATTACHED,
    expected: IMPLICIT,
  },
  {
    name: '${iot:Connection.Thing.ThingName} stays unresolved when no thing exists',
    policies: [[allow('iot:Publish', THING_TOPIC)]],
    action: 'iot:Publish',
    resource: `${ARN}topic/sensor-1/temperature`,
    context: { thingName: undefined },
    expected: IMPLICIT,
  },
  {
    name: 'an unresolved variable in NotResource excludes nothing',
    policies: [
      [allow('iot:*', '*'), { Effect: 'Deny', Action: 'iot:Publish', NotResource: THING_TOPIC }],
    ],
    action: 'iot:Publish',
    resource: `${ARN}topic/sensor-1/temperature`,
    context: UNATTACHED,
    expected: denied('p0', 1),
  },
  {
    name: 'a variable default applies when the thing is not attached',
    policies: [[allow('iot:Publish', `${ARN}topic/\${iot:Connection.Thing.ThingName, 'guest'}/*`)]],
    action: 'iot:Publish',
    resource: `${ARN}topic/guest/hello`,
    context: UNATTACHED,
    expected: allowed('p0', 0),
  },
  {
    name: 'thing attribute and type variables resolve',
    policies: [
      [
        allow(
          'iot:Publish',
          `${ARN}topic/\${iot:Connection.Thing.Attributes[site]}/\${iot:Connection.Thing.ThingTypeName}`,
        ),
      ],
    ],
    action: 'iot:Publish',
    resource: `${ARN}topic/plant-7/thermometer`,
    expected: allowed('p0', 0),
  },
  {
    name: 'an unknown thing attribute stays unresolved',
    policies: [[allow('iot:Publish', `${ARN}topic/\${iot:Connection.Thing.Attributes[floor]}/*`)]],
    action: 'iot:Publish',
    resource: `${ARN}topic/plant-7/x`,
    expected: IMPLICIT,
  },
  {
    name: 'certificate subject common name resolves',
    policies: [[allow('iot:Publish', `${ARN}topic/\${iot:Certificate.Subject.CommonName}`)]],
    action: 'iot:Publish',
    resource: `${ARN}topic/sensor-1.example.com`,
    expected: allowed('p0', 0),
  },
  {
    name: 'certificate value containing + is not substituted',
    policies: [[allow('iot:Publish', `${ARN}topic/\${iot:Certificate.Subject.CommonName}`)]],
    action: 'iot:Publish',
    resource: `${ARN}topic/a+b`,
    context: { certificate: { subject: { CommonName: 'a+b' }, issuer: {} } },
    expected: IMPLICIT,
  },
  {
    name: 'IsAttached Bool condition allows an attached thing',
    policies: [
      [
        allow('iot:Connect', '*', {
          Condition: { Bool: { 'iot:Connection.Thing.IsAttached': ['true'] } },
        }),
      ],
    ],
    action: 'iot:Connect',
    resource: `${ARN}client/sensor-1`,
    expected: allowed('p0', 0),
  },
  {
    name: 'IsAttached Bool condition rejects an unattached certificate',
    policies: [
      [
        allow('iot:Connect', '*', {
          Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },
        }),
      ],
    ],
    action: 'iot:Connect',
    resource: `${ARN}client/sensor-1`,
    context: UNATTACHED,
    expected: IMPLICIT,
  },
  {
    name: 'topicfilter foo/# allows exactly the filter foo/#',
    policies: [[allow('iot:Subscribe', `${ARN}topicfilter/foo/#`)]],
    action: 'iot:Subscribe',
    resource: `${ARN}topicfilter/foo/#`,
    expected: allowed('p0', 0),
  },
  {
    name: 'topicfilter foo/# does not allow the narrower filter foo/bar',
    policies: [[allow('iot:Subscribe', `${ARN}topicfilter/foo/#`)]],
    action: 'iot:Subscribe',
    resource: `${ARN}topicfilter/foo/bar`,
    expected: IMPLICIT,
  },
  {
    name: 'topicfilter some/+/topic does not allow some/x/topic',
    policies: [[allow('iot:Subscribe', `${ARN}topicfilter/some/+/topic`)]],
    action: 'iot:Subscribe',
    resource: `${ARN}topicfilter/some/x/topic`,
    expected: IMPLICIT,
  },
  {
    name: 'topicfilter foo/* allows the filter foo/#',
    policies: [[allow('iot:Subscribe', `${ARN}topicfilter/foo/*`)]],
    action: 'iot:Subscribe',
    resource: `${ARN}topicfilter/foo/#`,
    expected: allowed('p0', 0),
  },
  {
    name: 'topicfilter foo/* allows the filter foo/+/bar',
    policies: [[allow('iot:Subscribe', `${ARN}topicfilter/foo/*`)]],
    action: 'iot:Subscribe',
    resource: `${ARN}topicfilter/foo/+/bar`,
    expected: allowed('p0', 0),
  },
  {
    name: 'topic foo/# does not allow publishing to foo/bar',
    policies: [[allow('iot:Publish', `${ARN}topic/foo/#`)]],
    action: 'iot:Publish',
    resource: `${ARN}topic/foo/bar`,
    expected: IMPLICIT,
  },
  {
    name: 'a Deny on a narrower topicfilter does not stop a broader filter',
    policies: [
      [
        allow('iot:Subscribe', `${ARN}topicfilter/a/*`),
        deny('iot:Subscribe', `${ARN}topicfilter/a/restricted/*`),
      ],
    ],
    action: 'iot:Subscribe',
    resource: `${ARN}topicfilter/a/#`,
    expected: allowed('p0', 0),
  },
  {
    name: '${*} is a literal asterisk',
    policies: [[allow('iot:Publish', `${ARN}topic/odd\${*}name`)]],
    action: 'iot:Publish',
    resource: `${ARN}topic/oddXname`,
    expected: IMPLICIT,
  },
  {
    name: '${*} matches a literal asterisk',
    policies: [[allow('iot:Publish', `${ARN}topic/odd\${*}name\${?}`)]],
    action: 'iot:Publish',
    resource: `${ARN}topic/odd*name?`,
    expected: allowed('p0', 0),
  },
  {
    name: 'version 2008-10-17 keeps variables as literal text',
    policies: [[allow('iot:Publish', `${ARN}topic/\${iot:ClientId}`)]],
    version: '2008-10-17',
    action: 'iot:Publish',
    resource: `${ARN}topic/sensor-1`,
    expected: IMPLICIT,
  },
  {
    name: 'IpAddress allows an IPv4 source inside the block',
    policies: [
      [
        allow('iot:Connect', '*', {
          Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
        }),
      ],
    ],
    action: 'iot:Connect',
    resource: `${ARN}client/sensor-1`,
    expected: allowed('p0', 0),
  },
  {
    name: 'IpAddress rejects an IPv4 source outside the block',
    policies: [
      [
        allow('iot:Connect', '*', {
          Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
        }),
      ],
    ],
    action: 'iot:Connect',
    resource: `${ARN}client/sensor-1`,
    context: { sourceIp: '198.51.100.7' },
    expected: IMPLICIT,
  },
  {
    name: 'IpAddress matches an IPv4-mapped IPv6 source against an IPv4 block',
    policies: [
      [
        allow('iot:Connect', '*', {
          Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
        }),
      ],
    ],
    action: 'iot:Connect',
    resource: `${ARN}client/sensor-1`,
    context: { sourceIp: '::ffff:203.0.113.99' },
    expected: allowed('p0', 0),
  },
  {
    name: 'IpAddress allows an IPv6 source inside the block',
    policies: [
      [
        allow('iot:Connect', '*', {
          Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:DB8::/32'] } },
        }),
      ],
    ],
    action: 'iot:Connect',
    resource: `${ARN}client/sensor-1`,
    context: { sourceIp: '2001:db8:1234::5' },
    expected: allowed('p0', 0),
  },
  {
    name: 'IpAddress rejects an IPv6 source outside the block',
    policies: [
      [
        allow('iot:Connect', '*', {
          Condition: { IpAddress: { 'aws:SourceIp': '2001:db8::/32' } },
        }),
      ],
    ],
    action: 'iot:Connect',
    resource: `${ARN}client/sensor-1`,
    context: { sourceIp: '2001:db9::5' },
    expected: IMPLICIT,
  },
  {
    name: 'IpAddress without a source IP is false',
    policies: [
      [allow('iot:Connect', '*', { Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } })],
    ],
    action: 'iot:Connect',
    resource: `${ARN}client/sensor-1`,
    context: { sourceIp: undefined },
    expected: IMPLICIT,
  },
  {
    name: 'NotIpAddress Deny blocks a source outside the allowed block',
    policies: [
      [
        allow('iot:*', '*'),
        deny('iot:Connect', '*', { Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }),
      ],
    ],
    action: 'iot:Connect',
    resource: `${ARN}client/sensor-1`,
    expected: denied('p0', 1),
  },
  {
    name: 'StringEquals on iot:ClientId with a variable in the value',
    policies: [
      [
        allow('iot:Connect', '*', {
          Condition: { StringEquals: { 'iot:ClientId': '${iot:Connection.Thing.ThingName}' } },
        }),
      ],
    ],
    action: 'iot:Connect',
    resource: `${ARN}client/sensor-1`,
    expected: allowed('p0', 0),
  },
  {
    name: 'ForAllValues:StringEquals on a certificate list',
    policies: [
      [
        allow('iot:Publish', '*', {
          Condition: {
            'ForAllValues:StringEquals': {
              'iot:Certificate.Subject.Organization.List': ['Example Corp', 'AnyCompany'],
            },
          },
        }),
      ],
    ],
    action: 'iot:Publish',
    resource: `${ARN}topic/a`,
    expected: allowed('p0', 0),
  },
  {
    name: 'DateLessThan on aws:CurrentTime uses the evaluation time',
    policies: [
      [
        allow('iot:Connect', '*', {
          Condition: { DateLessThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } },
        }),
      ],
    ],
    action: 'iot:Connect',
    resource: `${ARN}client/sensor-1`,
    expected: IMPLICIT,
  },
  {
    name: 'DateGreaterThan on aws:CurrentTime uses the evaluation time',
    policies: [
      [
        allow('iot:Connect', '*', {
          Condition: { DateGreaterThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } },
        }),
      ],
    ],
    action: 'iot:Connect',
    resource: `${ARN}client/sensor-1`,
    expected: allowed('p0', 0),
  },
];

test('evaluate decision table', () => {
  for (const item of CASES) {
    const policies = item.policies.map((statements, i) => {
      const text = JSON.stringify({ Version: item.version ?? '2012-10-17', Statement: statements });
      return compilePolicy(`p${i}`, text);
    });
    const context = { ...CONTEXT, ...item.context } as PolicyContext;
    const decision = evaluate(policies, { action: item.action, resource: item.resource }, context);
    assert.deepEqual(decision, item.expected, item.name);
  }
});
