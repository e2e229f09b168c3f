import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatSarif, SARIF_SCHEMA } from './format-sarif.ts';
import { finding, report } from './report-fixture.ts';
import { sarifProblems } from './sarif-check.ts';

describe('SARIF report', () => {
  const findings = [
    finding('CRITICAL_CHECK', 'CRITICAL'),
    finding('HIGH_CHECK', 'HIGH'),
    finding('MEDIUM_CHECK', 'MEDIUM'),
    finding('LOW_CHECK', 'LOW', { suppressed: true }),
  ];
  const log = JSON.parse(formatSarif(report(findings)));
  const run = log.runs[0];

  test('has the properties SARIF 2.1.0 requires', () => {
    assert.deepEqual(sarifProblems(log), []);
    assert.equal(log.version, '2.1.0');
    assert.equal(log.$schema, SARIF_SCHEMA);
    assert.equal(run.tool.driver.name, 'Warden');
    assert.match(run.tool.driver.version, /^\d+\.\d+\.\d+/);
  });

  test('maps each severity to a level and a security-severity score', () => {
    const rules = run.tool.driver.rules.map((rule: any) => [
      rule.id,
      rule.defaultConfiguration.level,
      rule.properties['security-severity'],
    ]);
    assert.deepEqual(rules, [
      ['CRITICAL_CHECK', 'error', '9.5'],
      ['HIGH_CHECK', 'error', '8.0'],
      ['MEDIUM_CHECK', 'warning', '5.5'],
      ['LOW_CHECK', 'note', '3.0'],
    ]);
    assert.deepEqual(
      run.results.map((result: any) => [result.ruleId, result.ruleIndex, result.level]),
      [
        ['CRITICAL_CHECK', 0, 'error'],
        ['HIGH_CHECK', 1, 'error'],
        ['MEDIUM_CHECK', 2, 'warning'],
        ['LOW_CHECK', 3, 'note'],
      ],
    );
  });

  test('marks a suppressed finding as an accepted external suppression', () => {
    assert.deepEqual(run.results[3].suppressions, [{ kind: 'external', status: 'accepted' }]);
    assert.equal(run.results[0].suppressions, undefined);
  });

  test('reports a failed check as an unsuccessful invocation', () => {
    const failed = report([finding('A_CHECK', 'LOW')]);
    const check = failed.checks[0];
    if (check) check.details = { checkRunStatus: 'FAILED', message: 'The check failed: boom' };
    const invocation = JSON.parse(formatSarif(failed)).runs[0].invocations[0];

    assert.equal(invocation.executionSuccessful, false);
    assert.deepEqual(invocation.toolExecutionNotifications, [
      { level: 'error', message: { text: 'Check A_CHECK failed: The check failed: boom' } },
    ]);
  });

  test('check catches logs missing required properties', () => {
    const broken = {
      version: '2.0.0',
      runs: [
        {
          tool: { driver: { rules: [{ id: 'A' }] } },
          results: [{ ruleId: 'B', ruleIndex: 0, level: 'fatal', message: {} }],
          invocations: [{}],
        },
      ],
    };
    assert.deepEqual(sarifProblems(broken), [
      'version is not "2.1.0"',
      '$schema does not name a SARIF schema',
      'runs[0].tool.driver.name is missing',
      'runs[0].results[0].message.text is missing',
      'runs[0].results[0].level "fatal" is not a SARIF level',
      'runs[0].results[0].ruleIndex does not point at rule "B"',
      'runs[0].invocations[0].executionSuccessful is missing',
    ]);
    assert.deepEqual(sarifProblems({ version: '2.1.0', $schema: SARIF_SCHEMA, runs: [] }), [
      'runs is not a non-empty array',
    ]);
  });
});
