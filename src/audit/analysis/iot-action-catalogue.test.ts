import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

import { sharedPath } from '../../testing/shared-reference.ts';
import { IOT_ACTIONS } from './iot-action-catalogue.ts';
import {
  coveredActions,
  DATA_PLANE_ACTIONS,
  NON_THING_ADMIN_ACTIONS,
  OTHER_DEVICE_ACTIONS,
  THING_ADMIN_READ_ACTIONS,
  THING_ADMIN_WRITE_ACTIONS,
} from './iot-action-lists.ts';

describe('IoT action catalogue', () => {
  test('holds every operation of the AWS IoT service model', () => {
    const model = JSON.parse(
      readFileSync(sharedPath('aws', 'iot-2015-05-28.service-2.json'), 'utf8'),
    ) as {
      operations: Record<string, unknown>;
    };
    const missing = Object.keys(model.operations).filter(
      (name) => !IOT_ACTIONS.includes(`iot:${name}`),
    );

    assert.deepEqual(missing, []);
    assert.equal(new Set(IOT_ACTIONS).size, IOT_ACTIONS.length);
  });

  test('puts every listed action in the catalogue and in one list only', () => {
    const lists = [
      THING_ADMIN_WRITE_ACTIONS,
      THING_ADMIN_READ_ACTIONS,
      DATA_PLANE_ACTIONS,
      OTHER_DEVICE_ACTIONS,
      NON_THING_ADMIN_ACTIONS,
    ];
    const all = lists.flat();

    assert.deepEqual(
      all.filter((action) => !IOT_ACTIONS.includes(action)),
      [],
    );
    assert.equal(new Set(all).size, all.length);
    assert.equal(all.length, IOT_ACTIONS.length);
  });

  test('classifies administrative actions outside the thing lists as list C', () => {
    for (const action of [
      'iot:CreatePolicy',
      'iot:UpdateCertificate',
      'iot:DeleteConnection',
      'iot:SetV2LoggingOptions',
    ]) {
      assert.ok(NON_THING_ADMIN_ACTIONS.includes(action), action);
    }
    for (const action of ['iot:Receive', 'iot:Connect', 'iot:DescribeThing', 'iot:CreateThing']) {
      assert.ok(!NON_THING_ADMIN_ACTIONS.includes(action), action);
    }
  });

  test('expands action wildcards case-insensitively, and NotAction as the complement', () => {
    const shadow = [
      'iot:GetThingShadow',
      'iot:UpdateThingShadow',
      'iot:DeleteThingShadow',
      'iot:Publish',
    ];

    assert.deepEqual(
      coveredActions({ negated: false, patterns: ['IOT:*thingshadow'] }, shadow),
      shadow.slice(0, 3),
    );
    assert.deepEqual(coveredActions({ negated: false, patterns: ['*'] }, shadow), shadow);
    assert.deepEqual(coveredActions({ negated: true, patterns: ['iot:*Shadow'] }, shadow), [
      'iot:Publish',
    ]);
    assert.deepEqual(coveredActions({ negated: false, patterns: ['iot:Get?hingShadow'] }, shadow), [
      'iot:GetThingShadow',
    ]);
  });
});
