import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import type { AuditCheck } from '../../audit/audit-check.ts';
import { ALL_CHECKS } from '../../audit/checks/index.ts';
import { parseCertificatePem } from '../../registry/x509.ts';
import {
  EXPORT_ACCOUNT,
  ROLE_ALIAS_ARN,
  writeTestExport,
  type TestExport,
} from '../../audit/offline/test-export.ts';
import { runAuditCommand, type AuditCommandIo } from './audit-command.ts';
import { sarifProblems } from './sarif-check.ts';
import { CapturedStream, stripAnsi } from './test-streams.ts';

const SKIPPED = [
  'certs/broken.pem:1: Invalid certificate: error:0680009B:asn1 encoding routines::too long',
  'certs/device-good.key.pem: Holds only a private key, which the audit does not read; expected a "CERTIFICATE" PEM block',
  'notes.json: Not an audit input: expected certificates.json, logging.json, or a JSON file under certificates/, policies/, roles/ or identity-pools/',
  'policies/broken.json: Not valid JSON: Unexpected end of JSON input',
];

interface Run {
  code: number;
  stdout: CapturedStream;
  stderr: CapturedStream;
}

async function audit(
  argv: string[],
  options: Partial<AuditCommandIo> & { stdoutTty?: number; stderrTty?: number } = {},
): Promise<Run> {
  const stdout = new CapturedStream(
    options.stdoutTty === undefined ? {} : { isTTY: true, columns: options.stdoutTty },
  );
  const stderr = new CapturedStream(
    options.stderrTty === undefined ? {} : { isTTY: true, columns: options.stderrTty },
  );
  const code = await runAuditCommand(argv, {
    stdout,
    stderr,
    env: options.env ?? {},
    checks: options.checks ?? ALL_CHECKS,
    ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
  });
  return { code, stdout, stderr };
}

/** Lists each finding as `check resource-id reason-code`, sorted, to compare whole sets. */
function findingKeys(findings: any[]): string[] {
  return findings
    .map((finding) => {
      const id = finding.nonCompliantResource.resourceIdentifier;
      const name =
        id.deviceCertificateId ??
        id.policyVersionIdentifier?.policyName ??
        id.roleAliasArn ??
        id.account;
      return `${finding.checkName} ${name} ${finding.reasonForNonComplianceCode}`;
    })
    .sort();
}

describe('warden audit --offline', () => {
  let exported: TestExport;
  let expected: string[];

  before(async () => {
    exported = await writeTestExport();
    expected = [
      `DEVICE_CERTIFICATE_AGE_CHECK ${exported.expiredId} CERTIFICATE_PAST_AGE_THRESHOLD`,
      `DEVICE_CERTIFICATE_EXPIRING_CHECK ${exported.expiredId} CERTIFICATE_PAST_EXPIRATION`,
      `DEVICE_CERTIFICATE_KEY_QUALITY_CHECK ${exported.rsa1024Id} RSA_KEY_TOO_SHORT`,
      `IOT_POLICY_OVERLY_PERMISSIVE_CHECK open-policy ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS`,
      `IOT_ROLE_ALIAS_ALLOWS_ACCESS_TO_UNUSED_SERVICES_CHECK ${ROLE_ALIAS_ARN} ALLOWS_ACCESS_TO_UNUSED_SERVICES`,
      `IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK ${ROLE_ALIAS_ARN} ALLOWS_BROAD_ACCESS_TO_USED_SERVICES`,
      `LOGGING_DISABLED_CHECK ${EXPORT_ACCOUNT} LOGGING_DISABLED`,
      `REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK ${exported.revokedId} CERTIFICATE_REVOKED_BY_ISSUER`,
    ].sort();
  });
  after(() => rm(exported.folder, { recursive: true, force: true }));

  test('prints the usage for --help and for a usage error', async () => {
    const help = await audit(['--help']);
    const wrong = await audit(['--offline', exported.folder, '--format', 'xml']);

    assert.equal(help.code, 0);
    assert.match(help.stdout.text, /^Usage: warden audit \[--endpoint URL/);
    assert.equal(wrong.code, 2);
    assert.equal(wrong.stdout.text, '');
    assert.match(
      wrong.stderr.text,
      /^Invalid value "xml" for "--format": must be one of table, json, sarif\n\nUsage: warden audit /,
    );
  });

  test('prints the summary, the findings with their files and the skipped files', async () => {
    const { code, stdout, stderr } = await audit(['--offline', exported.folder]);
    const lines = stdout.text.split('\n');

    assert.equal(code, 1);
    assert.equal(stderr.text, '');
    assert.equal(
      lines[0],
      `Offline audit of ${exported.folder}: 15 input files, 4 skipped, task COMPLETED`,
    );
    assert.match(stdout.text, /\nCHECK +SEVERITY +STATUS +RESOURCES +NON-COMPLIANT +SUPPRESSED\n/);
    assert.match(
      stdout.text,
      /\nDEVICE_CERTIFICATE_EXPIRING_CHECK +MEDIUM +COMPLETED_NON_COMPLIANT +4 +1 +0\n/,
    );
    assert.match(stdout.text, /\nLOGGING_DISABLED_CHECK +LOW +COMPLETED_NON_COMPLIANT +1 +1 +0\n/);
    assert.match(stdout.text, /\nSEVERITY +CHECK +RESOURCE +REASON +ATT&CK\n/);
    assert.match(
      stdout.text,
      new RegExp(
        `\\nMEDIUM +DEVICE_CERTIFICATE_EXPIRING_CHECK +DEVICE_CERTIFICATE ${exported.expiredId} \\(certs/device-expired\\.crt:1\\) +Certificate is past its expiration\\. +T0830 T0842 T1020 T1020\\.001 T1040 T1557\\n`,
      ),
    );
    assert.match(
      stdout.text,
      /\nCRITICAL +IOT_POLICY_OVERLY_PERMISSIVE_CHECK +IOT_POLICY open-policy version 1 \(policies\/open-policy\.json\) +Policy allows broad access/,
    );
    assert.ok(
      stdout.text.includes(
        'Not run: DEVICE_CERTIFICATE_SHARED_CHECK: it needs connection history, which only a running Warden records\n',
      ),
    );
    assert.ok(stdout.text.includes(`\nSkipped 4 unreadable inputs:\n  ${SKIPPED.join('\n  ')}\n`));
    assert.ok(
      stdout.text.endsWith(
        '\nResult: 8 unsuppressed findings of any severity (3 CRITICAL, 3 MEDIUM, 2 LOW).\n',
      ),
    );
  });

  test('writes the ListAuditFindings shape and a summary as JSON', async () => {
    const { code, stdout, stderr } = await audit([
      '--offline',
      exported.folder,
      '--format',
      'json',
    ]);
    const report = JSON.parse(stdout.text);

    assert.equal(code, 1);
    assert.deepEqual(findingKeys(report.findings), expected);
    for (const finding of report.findings) {
      assert.deepEqual(Object.keys(finding).sort(), [
        'checkName',
        'findingId',
        'findingTime',
        'isSuppressed',
        'nonCompliantResource',
        'reasonForNonCompliance',
        'reasonForNonComplianceCode',
        'relatedResources',
        'severity',
        'taskId',
        'taskStartTime',
        'techniques',
      ]);
      assert.equal(typeof finding.taskStartTime, 'number');
    }
    assert.equal(report.summary.exitCode, 1);
    assert.equal(report.summary.taskStatus, 'COMPLETED');
    assert.deepEqual(report.summary.findingCounts, {
      total: 8,
      suppressed: 0,
      bySeverity: { CRITICAL: 3, MEDIUM: 3, LOW: 2 },
      failing: 8,
    });
    assert.deepEqual(
      report.summary.checksNotRun.map((item: { checkName: string }) => item.checkName),
      [
        'AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK',
        'CONFLICTING_CLIENT_IDS_CHECK',
        'DEVICE_CERTIFICATE_SHARED_CHECK',
        'UNAUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK',
      ],
    );
    assert.equal(report.summary.skippedInputs.length, 4);
    assert.equal(
      stderr.text,
      SKIPPED.map((line) => `Skipped ${line}\n`).join(''),
      'skipped files go to standard error when the report is not a table',
    );
  });

  test('writes valid SARIF with a result per finding located in its file', async () => {
    const { code, stdout } = await audit(['--offline', exported.folder, '--format', 'sarif']);
    const log = JSON.parse(stdout.text);
    const run = log.runs[0];

    assert.equal(code, 1);
    assert.deepEqual(sarifProblems(log), []);
    assert.equal(log.runs.length, 1);
    assert.equal(run.tool.driver.name, 'Warden');
    assert.equal(run.results.length, 8);
    assert.equal(run.originalUriBaseIds.AUDITFOLDER.uri, `file://${exported.folder}/`);

    const rule = (id: string) => run.tool.driver.rules.find((item: any) => item.id === id);
    assert.deepEqual(rule('IOT_POLICY_OVERLY_PERMISSIVE_CHECK').defaultConfiguration, {
      level: 'error',
    });
    assert.equal(rule('IOT_POLICY_OVERLY_PERMISSIVE_CHECK').properties['security-severity'], '9.5');
    assert.equal(rule('DEVICE_CERTIFICATE_EXPIRING_CHECK').defaultConfiguration.level, 'warning');
    assert.equal(rule('LOGGING_DISABLED_CHECK').defaultConfiguration.level, 'note');
    assert.equal(rule('LOGGING_DISABLED_CHECK').properties['security-severity'], '3.0');

    const revoked = run.results.find(
      (result: any) => result.ruleId === 'REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK',
    );
    assert.equal(revoked.level, 'warning');
    assert.match(revoked.message.text, /^Certificate is revoked by its issuer but still active/);
    assert.deepEqual(revoked.locations[0].physicalLocation, {
      artifactLocation: { uri: 'certs/bundle.pem', uriBaseId: 'AUDITFOLDER' },
      region: { startLine: 1 },
    });
    assert.deepEqual(revoked.locations[0].logicalLocations, [
      {
        name: exported.revokedId,
        fullyQualifiedName: `DEVICE_CERTIFICATE/${exported.revokedId}`,
        kind: 'resource',
      },
    ]);

    const notifications = run.invocations[0].toolExecutionNotifications;
    assert.equal(run.invocations[0].executionSuccessful, true);
    assert.deepEqual(notifications[0], {
      level: 'warning',
      message: {
        text: 'Skipped: Invalid certificate: error:0680009B:asn1 encoding routines::too long',
      },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'certs/broken.pem', uriBaseId: 'AUDITFOLDER' },
            region: { startLine: 1 },
          },
        },
      ],
    });
  });

  test('exits 0 when no finding reaches --fail-on, and 1 when one does', async () => {
    const low = ['--checks', 'LOGGING_DISABLED_CHECK,DEVICE_CERTIFICATE_AGE_CHECK'];

    const below = await audit(['--offline', exported.folder, ...low, '--fail-on', 'MEDIUM']);
    const at = await audit(['--offline', exported.folder, ...low, '--fail-on', 'low']);
    const critical = await audit(['--offline', exported.folder, '--fail-on', 'CRITICAL']);

    assert.equal(below.code, 0);
    assert.ok(
      below.stdout.text.endsWith(
        '\nResult: compliant, no unsuppressed finding at or above MEDIUM.\n',
      ),
    );
    assert.equal(at.code, 1);
    assert.equal(critical.code, 1);
    assert.ok(
      critical.stdout.text.endsWith(
        '\nResult: 3 unsuppressed findings at or above CRITICAL (3 CRITICAL).\n',
      ),
    );
  });

  test('writes the report to --output and lists skipped files on standard error', async () => {
    const output = path.join(await mkdtemp(path.join(tmpdir(), 'warden-report-')), 'report.json');
    try {
      const { code, stdout, stderr } = await audit([
        '--offline',
        exported.folder,
        '--format=json',
        '--output',
        output,
      ]);

      assert.equal(code, 1);
      assert.equal(stdout.text, '');
      assert.equal(stderr.text.split('\n').filter(Boolean).length, 4);
      assert.deepEqual(findingKeys(JSON.parse(await readFile(output, 'utf8')).findings), expected);
    } finally {
      await rm(path.dirname(output), { recursive: true, force: true });
    }
  });

  test('fits the table to a terminal and colours it unless NO_COLOR is set', async () => {
    const coloured = await audit(['--offline', exported.folder], { stdoutTty: 100 });
    const plain = await audit(['--offline', exported.folder], {
      stdoutTty: 100,
      env: { NO_COLOR: '1' },
    });

    assert.ok(coloured.stdout.text.includes('\x1b[31mCRITICAL\x1b[0m'));
    assert.ok(!plain.stdout.text.includes('\x1b['));
    for (const line of stripAnsi(coloured.stdout.text).split('\n'))
      assert.ok(line.length <= 100, `line of ${line.length} characters: ${line}`);
    assert.equal(stripAnsi(coloured.stdout.text), plain.stdout.text);
  });

  test('refuses checks the folder cannot feed and unknown checks', async () => {
    const cases: [string, string][] = [
      [
        'DEVICE_CERTIFICATE_SHARED_CHECK',
        'Check DEVICE_CERTIFICATE_SHARED_CHECK cannot run on this folder: it needs connection history, which only a running Warden records\n',
      ],
      [
        'AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK',
        'Check AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK cannot run on this folder: the folder has no identity pools\n',
      ],
    ];
    for (const [name, message] of cases) {
      const { code, stdout, stderr } = await audit([
        '--offline',
        exported.folder,
        '--checks',
        name,
      ]);
      assert.equal(code, 2, name);
      assert.equal(stdout.text, '', name);
      assert.equal(stderr.text, message);
    }
    const unknown = await audit(['--offline', exported.folder, '--checks', 'NO_SUCH_CHECK']);
    assert.equal(unknown.code, 2);
    assert.match(
      unknown.stderr.text,
      /^Unknown audit check "NO_SUCH_CHECK"; known checks: AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK, /,
    );
  });

  test('exits 2 when nothing in the folder is readable', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'warden-empty-'));
    try {
      await writeFile(path.join(folder, 'device.pem'), 'not a certificate');
      const { code, stdout, stderr } = await audit(['--offline', folder]);

      assert.equal(code, 2);
      assert.equal(stdout.text, '');
      assert.equal(
        stderr.text,
        'Skipped device.pem: No PEM block found, expected a "CERTIFICATE" PEM block\n' +
          `Nothing readable in "${folder}": 1 input files, 1 skipped; the folder format is in docs/audit-cli.md\n`,
      );
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  test('hands the RSA-1024 certificate to the checks with its key intact', async () => {
    // A stand-in for the key quality check: flags RSA keys under 2048 bits.
    const shortKeys: AuditCheck = {
      name: 'TEST_SHORT_RSA_KEY_CHECK',
      severity: 'CRITICAL',
      enabledByDefault: true,
      run: ({ fleet }) => {
        const short = fleet.certificates.filter((record) => {
          const parsed = parseCertificatePem(record.pem);
          return parsed.keyType === 'rsa' && (parsed.keyBits ?? 0) < 2048;
        });
        return {
          totalResourcesCount: fleet.certificates.length,
          nonCompliant: short.map((record) => ({
            resource: {
              resourceType: 'DEVICE_CERTIFICATE' as const,
              resourceIdentifier: { deviceCertificateId: record.certificateId },
            },
            relatedResources: [],
            reasonForNonCompliance: 'Certificate has an RSA key of 1024 bits',
            reasonForNonComplianceCode: 'TEST_SHORT_KEY',
          })),
        };
      },
    };
    const { code, stdout } = await audit(['--offline', exported.folder, '--format', 'sarif'], {
      checks: [shortKeys],
    });
    const results = JSON.parse(stdout.text).runs[0].results;

    assert.equal(code, 1);
    assert.equal(results.length, 1);
    assert.equal(results[0].properties.resourceIdentifier.deviceCertificateId, exported.rsa1024Id);
    assert.deepEqual(results[0].locations[0].physicalLocation.artifactLocation, {
      uri: 'certs/device-rsa1024.pem',
      uriBaseId: 'AUDITFOLDER',
    });
  });

  test('exits 2 when a check fails, naming it', async () => {
    const broken: AuditCheck = {
      name: 'TEST_BROKEN_CHECK',
      severity: 'HIGH',
      enabledByDefault: true,
      run: () => {
        throw new Error('no data source');
      },
    };
    const { code, stdout, stderr } = await audit(
      ['--offline', exported.folder, '--checks', 'TEST_BROKEN_CHECK'],
      {
        checks: [broken],
      },
    );

    assert.equal(code, 2);
    assert.match(stdout.text, /\nTEST_BROKEN_CHECK +HIGH +FAILED +- +- +-\n/);
    assert.ok(
      stdout.text.includes('\nFailed: TEST_BROKEN_CHECK: The check failed: no data source\n'),
    );
    assert.ok(
      stdout.text.endsWith(
        '\nResult: the audit did not complete: check TEST_BROKEN_CHECK failed.\n',
      ),
    );
    assert.equal(stderr.text, 'The audit did not complete: check TEST_BROKEN_CHECK failed\n');
  });

  test('draws the progress bar on a terminal and erases it before the report', async () => {
    const slow = (name: string): AuditCheck => ({
      name,
      severity: 'LOW',
      enabledByDefault: true,
      run: async ({ fleet }) => {
        await sleep(150);
        return { totalResourcesCount: fleet.certificates.length, nonCompliant: [] };
      },
    });
    const checks = [slow('TEST_SLOW_ONE_CHECK'), slow('TEST_SLOW_TWO_CHECK')];

    const withBar = await audit(['--offline', exported.folder], {
      checks,
      stderrTty: 80,
      pollIntervalMs: 20,
    });
    const hidden = await audit(['--offline', exported.folder, '--no-progress'], {
      checks,
      stderrTty: 80,
      pollIntervalMs: 20,
    });

    assert.equal(withBar.code, 0);
    const frames = withBar.stderr.chunks;
    assert.ok(
      frames.includes(`\r\x1b[2KAuditing [${'-'.repeat(40)}] 0/2 checks`),
      frames.join('|'),
    );
    assert.ok(frames.includes(`\r\x1b[2KAuditing [${'#'.repeat(20)}${'-'.repeat(20)}] 1/2 checks`));
    assert.equal(frames.at(-2), `\r\x1b[2KAuditing [${'#'.repeat(40)}] 2/2 checks`);
    assert.equal(frames.at(-1), '\r\x1b[2K');
    assert.deepEqual(hidden.stderr.chunks, []);
  });
});
