import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MITIGATION_ACTION_TYPES, PARAMS_MEMBER } from '../mitigation-types.ts';
import {
  actionParamsProblems,
  actionParamsSchema,
  actionTypeOf,
  type ActionParamsInput,
} from './action-params.ts';

const VALID: Record<string, ActionParamsInput> = {
  UPDATE_DEVICE_CERTIFICATE: { updateDeviceCertificateParams: { action: 'DEACTIVATE' } },
  UPDATE_CA_CERTIFICATE: { updateCACertificateParams: { action: 'DEACTIVATE' } },
  ADD_THINGS_TO_THING_GROUP: {
    addThingsToThingGroupParams: { thingGroupNames: ['quarantine'], overrideDynamicGroups: true },
  },
  REPLACE_DEFAULT_POLICY_VERSION: {
    replaceDefaultPolicyVersionParams: { templateName: 'BLANK_POLICY' },
  },
  ENABLE_IOT_LOGGING: {
    enableIoTLoggingParams: {
      roleArnForLogging: 'arn:aws:iam::123456789012:role/logging',
      logLevel: 'WARN',
    },
  },
  PUBLISH_FINDING_TO_SNS: {
    publishFindingToSnsParams: { topicArn: 'arn:aws:sns:us-east-1:123456789012:findings' },
  },
  DISCONNECT_CLIENT: { disconnectClientParams: {} },
  BAN: { banParams: { scope: 'SOURCE_IP', durationSeconds: 3600, sourceIpPrefixLength: 24 } },
  THROTTLE_PUBLISH: { throttlePublishParams: { messagesPerMinute: 10, durationSeconds: 600 } },
};

describe('mitigation action parameters', () => {
  test('accepts one member of every action type and names the type', () => {
    assert.deepEqual(Object.keys(VALID).sort(), [...MITIGATION_ACTION_TYPES].sort());
    for (const [type, params] of Object.entries(VALID)) {
      assert.ok(actionParamsSchema.safeParse(params).success, type);
      assert.deepEqual(actionParamsProblems(params), [], type);
      assert.equal(actionTypeOf(params), type);
      assert.deepEqual(Object.keys(params), [PARAMS_MEMBER[actionTypeOf(params)]]);
    }
  });

  test('lists union problems with code, path and message', () => {
    const cases: [string, ActionParamsInput, string, string, string][] = [
      [
        'no member',
        {},
        'MEMBER_COUNT',
        'actionParams',
        'Invalid actionParams: must set exactly one member, found none',
      ],
      [
        'two members',
        { ...VALID['BAN'], ...VALID['DISCONNECT_CLIENT'] },
        'MEMBER_COUNT',
        'actionParams',
        'Invalid actionParams: must set exactly one member, found 2 ("banParams", "disconnectClientParams")',
      ],
      [
        'logging disabled',
        {
          enableIoTLoggingParams: {
            roleArnForLogging: 'arn:aws:iam::123456789012:role/logging',
            logLevel: 'DISABLED',
          },
        },
        'LOGGING_DISABLED',
        'actionParams.enableIoTLoggingParams.logLevel',
        'Invalid logLevel "DISABLED" at "actionParams.enableIoTLoggingParams.logLevel": ENABLE_IOT_LOGGING must set DEBUG, INFO, WARN or ERROR',
      ],
      [
        'prefix on a client ban',
        { banParams: { scope: 'CLIENT_ID', durationSeconds: 60, sourceIpPrefixLength: 24 } },
        'PREFIX_WITHOUT_SOURCE_IP',
        'actionParams.banParams.sourceIpPrefixLength',
        'Invalid sourceIpPrefixLength "24" at "actionParams.banParams.sourceIpPrefixLength": only a SOURCE_IP ban takes a prefix length, this one has scope CLIENT_ID',
      ],
    ];
    for (const [name, params, code, path, message] of cases) {
      const problems = actionParamsProblems(params);
      assert.equal(problems.length, 1, name);
      assert.equal(problems[0]?.code, code, name);
      assert.equal(problems[0]?.path, path, name);
      assert.equal(problems[0]?.message, message, name);
    }
  });

  test('actionTypeOf throws on parameters that set no member', () => {
    assert.throws(() => actionTypeOf({}), {
      name: 'TypeError',
      message: 'actionParams must set exactly one member, found 0',
    });
  });
});
