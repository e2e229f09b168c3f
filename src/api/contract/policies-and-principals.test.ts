import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DetachPolicyCommand,
  DetachThingPrincipalCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListAttachedPoliciesCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  ListPrincipalThingsCommand,
  ListTargetsForPolicyCommand,
  ListThingPrincipalsCommand,
  RegisterCertificateWithoutCACommand,
  SetDefaultPolicyVersionCommand,
} from '@aws-sdk/client-iot';
import { TestWarden, thingScopedPolicy } from '../../testing/harness.ts';
import { createSelfSignedTestCertificate } from '../../testing/pki.ts';
import { ContractClient } from './contract-client.ts';

const ACCOUNT = 'arn:aws:iot:us-east-1:123456789012';

function document(action: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }],
  });
}

describe('policies and principals through the AWS SDK', () => {
  let warden: TestWarden;
  let iot: ContractClient;
  let certificateArn: string;

  before(async () => {
    warden = await TestWarden.start();
    iot = new ContractClient(warden.endpoints.http);
    const device = await createSelfSignedTestCertificate('device-1');
    const registered = await iot.send(
      new RegisterCertificateWithoutCACommand({ certificatePem: device.certPem, status: 'ACTIVE' }),
    );
    certificateArn = registered.certificateArn ?? '';
  });

  after(async () => {
    iot?.sdk.destroy();
    await warden?.stop();
  });

  test('creates a policy and reads it back', async () => {
    const policyDocument = JSON.stringify(thingScopedPolicy());
    const created = await iot.send(
      new CreatePolicyCommand({ policyName: 'device', policyDocument }),
    );
    assert.equal(created.policyArn, `${ACCOUNT}:policy/device`);
    assert.equal(created.policyVersionId, '1');
    assert.equal(created.policyDocument, policyDocument);

    const policy = await iot.send(new GetPolicyCommand({ policyName: 'device' }));
    assert.equal(policy.defaultVersionId, '1');
    assert.equal(policy.policyDocument, policyDocument);
    assert.ok(policy.creationDate instanceof Date);
    assert.ok(Math.abs((policy.creationDate?.getTime() ?? 0) - Date.now()) < 60_000);

    const listed = await iot.send(new ListPoliciesCommand({}));
    assert.deepEqual(listed.policies, [
      { policyName: 'device', policyArn: `${ACCOUNT}:policy/device` },
    ]);
  });

  test('round-trips a policy name with every allowed symbol', async () => {
    const policyName = 'team+ops=a,b.c@d-e_f';
    await iot.send(
      new CreatePolicyCommand({ policyName, policyDocument: document('iot:Connect') }),
    );
    const policy = await iot.send(new GetPolicyCommand({ policyName }));
    assert.equal(policy.policyName, policyName);
    assert.equal(policy.policyArn, `${ACCOUNT}:policy/${policyName}`);
    await iot.send(new DeletePolicyCommand({ policyName }));
  });

  test('manages versions up to the limit of five', async () => {
    await iot.send(
      new CreatePolicyCommand({ policyName: 'versions', policyDocument: document('iot:Connect') }),
    );
    const second = await iot.send(
      new CreatePolicyVersionCommand({
        policyName: 'versions',
        policyDocument: document('iot:Publish'),
        setAsDefault: true,
      }),
    );
    assert.equal(second.policyVersionId, '2');
    assert.equal(second.isDefaultVersion, true);
    for (const action of ['iot:Receive', 'iot:Subscribe', 'iot:Connect']) {
      await iot.send(
        new CreatePolicyVersionCommand({
          policyName: 'versions',
          policyDocument: document(action),
        }),
      );
    }
    await iot.expectError(
      iot.send(
        new CreatePolicyVersionCommand({
          policyName: 'versions',
          policyDocument: document('iot:Publish'),
        }),
      ),
      'VersionsLimitExceededException',
      'Policy "versions" already has 5 versions, the maximum; delete one first',
    );

    const { policyVersions } = await iot.send(
      new ListPolicyVersionsCommand({ policyName: 'versions' }),
    );
    assert.deepEqual(
      policyVersions?.map((version) => [version.versionId, version.isDefaultVersion]),
      [
        ['5', false],
        ['4', false],
        ['3', false],
        ['2', true],
        ['1', false],
      ],
    );
    const third = await iot.send(
      new GetPolicyVersionCommand({ policyName: 'versions', policyVersionId: '3' }),
    );
    assert.equal(third.policyDocument, document('iot:Receive'));
    assert.equal(third.isDefaultVersion, false);

    await iot.send(
      new SetDefaultPolicyVersionCommand({ policyName: 'versions', policyVersionId: '3' }),
    );
    const policy = await iot.send(new GetPolicyCommand({ policyName: 'versions' }));
    assert.equal(policy.defaultVersionId, '3');
    assert.equal(policy.policyDocument, document('iot:Receive'));

    await iot.expectError(
      iot.send(new DeletePolicyVersionCommand({ policyName: 'versions', policyVersionId: '3' })),
      'DeleteConflictException',
      'Cannot delete version "3" of policy "versions": it is the default version',
    );
    await iot.expectError(
      iot.send(new DeletePolicyCommand({ policyName: 'versions' })),
      'DeleteConflictException',
      'Cannot delete policy "versions": delete its non-default versions first',
    );
    for (const versionId of ['1', '2', '4', '5']) {
      await iot.send(
        new DeletePolicyVersionCommand({ policyName: 'versions', policyVersionId: versionId }),
      );
    }
    await iot.expectError(
      iot.send(new GetPolicyVersionCommand({ policyName: 'versions', policyVersionId: '1' })),
      'ResourceNotFoundException',
      'Policy "versions" has no version "1"',
    );
    await iot.send(new DeletePolicyCommand({ policyName: 'versions' }));
    await iot.expectError(
      iot.send(new GetPolicyCommand({ policyName: 'versions' })),
      'ResourceNotFoundException',
      'Policy "versions" does not exist',
    );
  });

  test('rejects malformed and duplicate policies', async () => {
    const cases: [string, RegExp][] = [
      ['not json', /the document is not valid JSON/],
      [
        JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Maybe', Action: 'iot:*' } }),
        /Effect/,
      ],
      [JSON.stringify({ Version: '2020-01-01', Statement: [] }), /Version "2020-01-01"/],
    ];
    for (const [policyDocument, message] of cases) {
      await iot.expectError(
        iot.send(new CreatePolicyCommand({ policyName: 'broken', policyDocument })),
        'MalformedPolicyException',
        message,
      );
    }
    await iot.send(
      new CreatePolicyCommand({ policyName: 'twice', policyDocument: document('iot:Connect') }),
    );
    const error = await iot.expectError(
      iot.send(
        new CreatePolicyCommand({ policyName: 'twice', policyDocument: document('iot:Connect') }),
      ),
      'ResourceAlreadyExistsException',
      'Policy "twice" already exists',
    );
    assert.equal(error['resourceId'], 'twice');
    await iot.expectError(
      iot.send(new CreatePolicyVersionCommand({ policyName: 'twice', policyDocument: '{' })),
      'MalformedPolicyException',
    );
  });

  test('attaches policies to certificates and groups', async () => {
    await iot.send(
      new CreatePolicyCommand({ policyName: 'fleet', policyDocument: document('iot:Connect') }),
    );
    await iot.send(new CreateThingGroupCommand({ thingGroupName: 'fleet' }));
    await iot.send(
      new CreateThingGroupCommand({ thingGroupName: 'fleet-east', parentGroupName: 'fleet' }),
    );
    const fleetArn = `${ACCOUNT}:thinggroup/fleet`;
    const eastArn = `${ACCOUNT}:thinggroup/fleet-east`;

    await iot.send(new AttachPolicyCommand({ policyName: 'fleet', target: fleetArn }));
    await iot.send(new AttachPolicyCommand({ policyName: 'fleet', target: certificateArn }));
    const targets = await iot.send(new ListTargetsForPolicyCommand({ policyName: 'fleet' }));
    assert.deepEqual(targets.targets, [certificateArn, fleetArn].sort());

    const onCertificate = await iot.send(
      new ListAttachedPoliciesCommand({ target: certificateArn }),
    );
    assert.deepEqual(
      onCertificate.policies?.map((policy) => policy.policyName),
      ['fleet'],
    );
    const direct = await iot.send(new ListAttachedPoliciesCommand({ target: eastArn }));
    assert.deepEqual(direct.policies, []);
    const inherited = await iot.send(
      new ListAttachedPoliciesCommand({ target: eastArn, recursive: true }),
    );
    assert.deepEqual(
      inherited.policies?.map((policy) => policy.policyArn),
      [`${ACCOUNT}:policy/fleet`],
    );

    await iot.expectError(
      iot.send(new DeletePolicyCommand({ policyName: 'fleet' })),
      'DeleteConflictException',
      'Cannot delete policy "fleet": it is attached to 2 target(s); detach it first',
    );
    await iot.send(new DetachPolicyCommand({ policyName: 'fleet', target: fleetArn }));
    await iot.send(new DetachPolicyCommand({ policyName: 'fleet', target: certificateArn }));
    const none = await iot.send(new ListTargetsForPolicyCommand({ policyName: 'fleet' }));
    assert.deepEqual(none.targets, []);
    await iot.send(new DeletePolicyCommand({ policyName: 'fleet' }));
  });

  test('attachment errors use the types the model lists', async () => {
    await iot.expectError(
      iot.send(new AttachPolicyCommand({ policyName: 'missing', target: certificateArn })),
      'ResourceNotFoundException',
      'Policy "missing" does not exist',
    );
    await iot.send(
      new CreatePolicyCommand({ policyName: 'targets', policyDocument: document('iot:Connect') }),
    );
    await iot.expectError(
      iot.send(
        new AttachPolicyCommand({ policyName: 'targets', target: `${ACCOUNT}:thinggroup/none` }),
      ),
      'ResourceNotFoundException',
      `Thing group "${ACCOUNT}:thinggroup/none" does not exist`,
    );
    await iot.expectError(
      iot.send(new AttachPolicyCommand({ policyName: 'targets', target: 'us-east-1:cognito-id' })),
      'InvalidRequestException',
    );
    await iot.expectError(
      iot.send(new DetachPolicyCommand({ policyName: 'missing', target: certificateArn })),
      'InvalidRequestException',
      'Policy "missing" does not exist',
    );
    await iot.expectError(
      iot.send(new ListTargetsForPolicyCommand({ policyName: 'missing' })),
      'ResourceNotFoundException',
    );
  });

  test('attaches a certificate to things and lists both ways', async () => {
    await iot.send(new CreateThingCommand({ thingName: 'device-1' }));
    await iot.send(new CreateThingCommand({ thingName: 'device-1-shadow' }));
    await iot.send(
      new AttachThingPrincipalCommand({ thingName: 'device-1', principal: certificateArn }),
    );
    await iot.send(
      new AttachThingPrincipalCommand({ thingName: 'device-1-shadow', principal: certificateArn }),
    );

    const principals = await iot.send(new ListThingPrincipalsCommand({ thingName: 'device-1' }));
    assert.deepEqual(principals.principals, [certificateArn]);
    const things = await iot.send(new ListPrincipalThingsCommand({ principal: certificateArn }));
    assert.deepEqual(things.things, ['device-1', 'device-1-shadow']);

    await iot.send(
      new DetachThingPrincipalCommand({ thingName: 'device-1-shadow', principal: certificateArn }),
    );
    const left = await iot.send(new ListPrincipalThingsCommand({ principal: certificateArn }));
    assert.deepEqual(left.things, ['device-1']);
  });

  test('principal errors use the types the model lists', async () => {
    const unknownCertificate = `${ACCOUNT}:cert/${'ab'.repeat(32)}`;
    await iot.expectError(
      iot.send(
        new AttachThingPrincipalCommand({ thingName: 'device-1', principal: unknownCertificate }),
      ),
      'ResourceNotFoundException',
      `Certificate "${unknownCertificate}" does not exist`,
    );
    await iot.expectError(
      iot.send(new AttachThingPrincipalCommand({ thingName: 'ghost', principal: certificateArn })),
      'ResourceNotFoundException',
      'Thing "ghost" does not exist',
    );
    await iot.expectError(
      iot.send(new ListThingPrincipalsCommand({ thingName: 'ghost' })),
      'ResourceNotFoundException',
    );
    await iot.expectError(
      iot.send(new ListPrincipalThingsCommand({ principal: 'not-an-arn' })),
      'InvalidRequestException',
      'Invalid principal "not-an-arn": expected a certificate ARN (arn:aws:iot:REGION:ACCOUNT:cert/ID)',
    );
    const missingHeader = await iot.raw(
      'AttachThingPrincipal',
      'PUT',
      '/things/device-1/principals',
    );
    assert.equal(missingHeader.errorType, 'InvalidRequestException');
  });
});
