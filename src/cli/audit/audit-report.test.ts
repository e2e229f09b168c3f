import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AuditSeverity } from '../../audit/audit-types.ts';
import { incompleteReason, reportExitCode, sortReport } from './audit-report.ts';
import { finding, report } from './report-fixture.ts';

describe('audit report outcome', () => {
  test('exits by the most severe unsuppressed finding and --fail-on', () => {
    const cases: [AuditSeverity[], AuditSeverity, number][] = [
      [[], 'LOW', 0],
      [['LOW'], 'LOW', 1],
      [['LOW'], 'MEDIUM', 0],
      [['MEDIUM', 'LOW'], 'MEDIUM', 1],
      [['HIGH'], 'CRITICAL', 0],
      [['CRITICAL'], 'CRITICAL', 1],
    ];
    for (const [severities, failOn, code] of cases) {
      const findings = severities.map((severity, index) => finding(`CHECK_${index}`, severity));
      assert.equal(
        reportExitCode(report(findings, { failOn })),
        code,
        `${severities.join(',')} with --fail-on ${failOn}`,
      );
    }
  });

  test('does not count suppressed findings', () => {
    const findings = [finding('CHECK_A', 'CRITICAL', { suppressed: true })];

    assert.equal(reportExitCode(report(findings)), 0);
  });

  test('exits 2 for an incomplete audit', () => {
    const failed = report([finding('CHECK_A', 'LOW')]);
    const check = failed.checks[0];
    if (check) check.details = { checkRunStatus: 'FAILED', message: 'boom' };
    const canceled = report([], { taskStatus: 'CANCELED' });

    assert.equal(reportExitCode(failed), 2);
    assert.equal(incompleteReason(failed), 'check CHECK_A failed');
    assert.equal(reportExitCode(canceled), 2);
    assert.equal(incompleteReason(canceled), 'the audit task "task-1" is CANCELED');
  });

  test('sorts checks and findings most severe first', () => {
    const sorted = sortReport(
      report([
        finding('B_CHECK', 'LOW'),
        finding('A_CHECK', 'LOW'),
        finding('C_CHECK', 'CRITICAL', { clientId: 'z' }),
        finding('C_CHECK', 'CRITICAL', { clientId: 'a' }),
      ]),
    );

    assert.deepEqual(
      sorted.findings.map(
        (item) => `${item.checkName}/${item.nonCompliantResource.resourceIdentifier.clientId}`,
      ),
      ['C_CHECK/a', 'C_CHECK/z', 'A_CHECK/a_check-client', 'B_CHECK/b_check-client'],
    );
    assert.deepEqual(
      sorted.checks.map((item) => item.checkName),
      ['C_CHECK', 'A_CHECK', 'B_CHECK'],
    );
  });
});
