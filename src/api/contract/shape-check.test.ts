import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkErrorBody, checkOutput, checkShape } from './shape-check.ts';
import { loadServiceModel } from './service-model.ts';

const model = loadServiceModel();
const ARN = 'arn:aws:iot:us-east-1:123456789012:thing/sensor-1';

describe('checkShape', () => {
  test('accepts a DescribeThing body as AWS writes it', () => {
    const body = {
      defaultClientId: 'sensor-1',
      thingName: 'sensor-1',
      thingId: 'f1b0c3a2-0000-4000-8000-000000000000',
      thingArn: ARN,
      attributes: { model: 'x1' },
      version: 3,
    };
    assert.deepEqual(checkOutput(model, 'DescribeThing', body), []);
  });

  test('reports each departure from the output shape', () => {
    const cases: { operation: string; body: unknown; problems: string[] }[] = [
      {
        operation: 'DescribeThing',
        body: { thingName: 'a', owner: 'me' },
        problems: ['$.owner: Member is not in the shape'],
      },
      {
        operation: 'DescribeThing',
        body: { version: '3' },
        problems: ['$.version: Expected a long, got "3"'],
      },
      {
        operation: 'DescribeThing',
        body: { version: 1.5 },
        problems: ['$.version: Expected a long, got 1.5'],
      },
      {
        operation: 'DescribeThing',
        body: { attributes: { model: 7 } },
        problems: ['$.attributes["model"]: Expected a string, got 7'],
      },
      {
        operation: 'DescribeThing',
        body: { thingTypeName: null },
        problems: ['$.thingTypeName: Member is null, but an absent member must be omitted'],
      },
      {
        operation: 'GetPolicy',
        body: { creationDate: '2026-12-04T00:00:00Z' },
        problems: [
          '$.creationDate: Expected a timestamp in epoch seconds, got "2026-12-04T00:00:00Z"',
        ],
      },
      {
        operation: 'GetPolicy',
        body: { creationDate: 1796385600000 },
        problems: [
          '$.creationDate: Timestamp 1796385600000 is not in epoch seconds (milliseconds?)',
        ],
      },
      {
        operation: 'ListCertificates',
        body: { certificates: [{ status: 'ENABLED' }] },
        problems: [
          '$.certificates[0].status: Value "ENABLED" is not one of [ACTIVE, INACTIVE, REVOKED, PENDING_TRANSFER, REGISTER_INACTIVE, PENDING_ACTIVATION]',
        ],
      },
      {
        operation: 'ListThings',
        body: { things: { thingName: 'a' } },
        problems: ['$.things: Expected an array, got {"thingName":"a"}'],
      },
      {
        operation: 'ValidateSecurityProfileBehaviors',
        body: { valid: 'true' },
        problems: ['$.valid: Expected a boolean, got "true"'],
      },
      {
        operation: 'DescribeCertificate',
        body: { certificateDescription: 'pem' },
        problems: ['$.certificateDescription: Expected an object, got "pem"'],
      },
      {
        operation: 'CreateThing',
        body: { thingName: '' },
        problems: ['$.thingName: Has 0 characters, fewer than the minimum 1'],
      },
      {
        operation: 'UpdateCACertificate',
        body: { updated: true },
        problems: ['$: Expected an empty body, got {"updated":true}'],
      },
    ];
    for (const { operation, body, problems } of cases) {
      const found = checkOutput(model, operation, body).map((p) => `${p.path}: ${p.message}`);
      assert.deepEqual(found, problems, `${operation} ${JSON.stringify(body)}`);
    }
  });

  test('walks nested structures, lists and maps', () => {
    const behaviors = [
      {
        name: 'ports',
        metric: 'aws:num-listening-tcp-ports',
        criteria: { comparisonOperator: 'less-than', value: { count: 'five' }, colour: 'red' },
      },
    ];
    const found = checkShape(model, 'Behaviors', behaviors).map((p) => `${p.path}: ${p.message}`);
    assert.deepEqual(found, [
      '$[0].criteria.value.count: Expected a long, got "five"',
      '$[0].criteria.colour: Member is not in the shape',
    ]);
  });

  test('reports a required member that is missing', () => {
    const found = checkShape(model, 'Behavior', { metric: 'aws:num-messages-sent' });
    assert.deepEqual(found, [{ path: '$.name', message: 'Required member is missing' }]);
  });

  test('checks error bodies against the error shape', () => {
    const good = { message: 'Thing "a" already exists', resourceId: 'a', resourceArn: ARN };
    assert.deepEqual(checkErrorBody(model, 'ResourceAlreadyExistsException', good), []);
    assert.deepEqual(checkErrorBody(model, 'InvalidRequestException', { message: 'x', code: 1 }), [
      { path: '$.code', message: 'Member is not in the shape' },
    ]);
    assert.deepEqual(checkErrorBody(model, 'ThingName', {}), [
      { path: '$', message: '"ThingName" is not an error shape' },
    ]);
  });
});
