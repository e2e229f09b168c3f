import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatExecution, formatRollback, targetLabel } from './execution-summary.ts';
import type { ExecutionJson } from './mitigations-client.ts';

const EMPTY_TARGET = {
  certificateIds: [],
  caCertificateIds: [],
  thingNames: [],
  clientIds: [],
  policyNames: [],
  sourceIps: [],
};

function execution(overrides: Partial<ExecutionJson>): ExecutionJson {
  return {
    executionId: 'e-1',
    source: {
      kind: 'audit-finding',
      findingId: 'f-1',
      checkName: 'DEVICE_CERTIFICATE_SHARED_CHECK',
    },
    actionName: 'deactivate',
    actionType: 'UPDATE_DEVICE_CERTIFICATE',
    target: { ...EMPTY_TARGET, certificateIds: ['abc'] },
    status: 'FAILED',
    dryRun: true,
    startTime: Date.UTC(2026, 11, 4, 12) / 1000,
    ...overrides,
  };
}

describe('execution summary', () => {
  test('names the target by kind and counts the rest', () => {
    assert.equal(targetLabel(EMPTY_TARGET), 'nothing');
    assert.equal(
      targetLabel({
        ...EMPTY_TARGET,
        thingNames: ['a', 'b', 'c', 'd', 'e'],
        clientIds: ['client-1'],
        sourceIps: ['192.0.2.7'],
      }),
      'things a, b, c +2 more; clients client-1; source IPs 192.0.2.7',
    );
  });

  test('shows the error, a dry run and an unrecorded state', () => {
    const text = formatExecution(
      execution({ errorCode: 'InvalidRequestException', message: 'Certificate is gone' }),
    );
    assert.equal(
      text,
      [
        'Execution e-1',
        '  action:      deactivate (UPDATE_DEVICE_CERTIFICATE)',
        '  status:      FAILED',
        '  mode:        dry run: recorded what it would do, changed nothing',
        '  source:      audit finding f-1 of check DEVICE_CERTIFICATE_SHARED_CHECK',
        '  started:     2026-12-04T12:00:00.000Z',
        '  error:       InvalidRequestException',
        '  message:     Certificate is gone',
        '  target:      certificates abc',
        '  before:',
        '    (not recorded)',
        '  after:',
        '    (not recorded)',
        '',
      ].join('\n'),
    );
  });

  test('lists nested state as paths', () => {
    const text = formatRollback(
      execution({
        status: 'COMPLETED',
        dryRun: false,
        before: {
          certificateStatuses: { abc: 'ACTIVE' },
          sessions: [{ clientId: 'c1' }],
          notes: {},
        },
      }),
    );
    assert.equal(
      text,
      [
        'Rolled back execution e-1: deactivate (UPDATE_DEVICE_CERTIFICATE) on certificates abc',
        'Restored:',
        '    certificateStatuses.abc: ACTIVE',
        '    sessions[0].clientId: c1',
        '    notes: (none)',
        '',
      ].join('\n'),
    );
  });
});
