import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import type { AuditCheck } from '../../audit/audit-check.ts';
import { ALL_CHECKS } from '../../audit/checks/index.ts';
import { silentLogger } from '../../core/logger.ts';
import { WardenService } from '../../service/warden-service.ts';
import { createTestCa, issueTestCertificate } from '../../testing/pki.ts';
import { OPEN_POLICY } from '../../audit/offline/test-export.ts';
import { signedFetch } from '../../client/signed-fetch.ts';
import { TEST_ROOT, TEST_ROOT_ENV } from '../../testing/credentials.ts';
import { runAuditCommand, type AuditCommandIo } from './audit-command.ts';
import { sarifProblems } from './sarif-check.ts';
import { CapturedStream } from './test-streams.ts';

const DAY_MS = 24 * 3600 * 1000;

/** Starts a Warden on 127.0.0.1 with ephemeral ports, offering the given checks. */
async function startWarden(auditChecks: readonly AuditCheck[]) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'warden-audit-cli-'));
  const service = new WardenService({
    dataDir,
    host: '127.0.0.1',
    mqttPort: 0,
    httpPort: 0,
    logger: silentLogger(),
    scheduleCloudMetrics: false,
    auditChecks,
    rootAccessKeyId: TEST_ROOT.accessKeyId,
    rootSecretAccessKey: TEST_ROOT.secretAccessKey,
  });
  const endpoints = await service.start();
  const api = async (method: string, pathAndQuery: string, body?: unknown) => {
    const init = {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    };
    const response = await signedFetch(`${endpoints.http}${pathAndQuery}`, init, TEST_ROOT);
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${pathAndQuery} failed: ${text}`);
    return text === '' ? undefined : JSON.parse(text);
  };
  const stop = async () => {
    await service.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  return { endpoint: endpoints.http, dataDir, api, stop };
}

async function audit(
  argv: string[],
  options: { stderrTty?: boolean; pollIntervalMs?: number } = {},
): Promise<{ code: number; stdout: CapturedStream; stderr: CapturedStream }> {
  const stdout = new CapturedStream();
  const stderr = new CapturedStream(options.stderrTty ? { isTTY: true, columns: 80 } : {});
  const io: AuditCommandIo = { stdout, stderr, env: { ...TEST_ROOT_ENV }, checks: ALL_CHECKS };
  if (options.pollIntervalMs !== undefined) io.pollIntervalMs = options.pollIntervalMs;
  return { code: await runAuditCommand(argv, io), stdout, stderr };
}

describe('warden audit against a running Warden', () => {
  let warden: Awaited<ReturnType<typeof startWarden>>;
  let deviceId: string;

  before(async () => {
    warden = await startWarden(ALL_CHECKS);
    const ca = await createTestCa('Online CA');
    const device = await issueTestCertificate(ca, 'expiring', {
      notAfter: new Date(Date.now() + 10 * DAY_MS),
    });
    await warden.api('POST', '/cacertificate?setAsActive=true', { caCertificate: ca.certPem });
    const registered = await warden.api('POST', '/certificate/register', {
      certificatePem: device.certPem,
      status: 'ACTIVE',
    });
    deviceId = registered.certificateId;
    await warden.api('POST', '/policies/open', { policyDocument: JSON.stringify(OPEN_POLICY) });
    await warden.api('PUT', '/target-policies/open', { target: registered.certificateArn });
  });
  after(() => warden.stop());

  test('says how to enable checks on a fresh Warden and exits 2', async () => {
    const { code, stdout, stderr } = await audit(['--endpoint', warden.endpoint]);

    assert.equal(code, 2);
    assert.equal(stdout.text, '');
    assert.equal(
      stderr.text,
      [
        `No audit check is enabled on Warden at ${warden.endpoint}, so there is nothing to audit.`,
        'Enable every check and run the audit with:',
        `  warden audit --endpoint ${warden.endpoint} --enable-defaults`,
        'or enable chosen checks with UpdateAccountAuditConfiguration (PATCH /audit/configuration).',
        '',
      ].join('\n'),
    );
  });

  test('enables every check with --enable-defaults and reports the findings', async () => {
    const { code, stdout, stderr } = await audit([
      '--data-dir',
      warden.dataDir,
      '--enable-defaults',
    ]);

    assert.equal(code, 1);
    assert.equal(
      stderr.text,
      `Enabled all ${ALL_CHECKS.length} audit checks in the account audit configuration, role ARN arn:aws:iam::ACCOUNT:role/warden-audit\n`,
    );
    assert.match(
      stdout.text,
      new RegExp(`^Audit of Warden at ${warden.endpoint}: task [0-9a-f]{32}, COMPLETED\n`),
    );
    assert.match(
      stdout.text,
      /\nDEVICE_CERTIFICATE_EXPIRING_CHECK +MEDIUM +COMPLETED_NON_COMPLIANT +1 +1 +0\n/,
    );
    assert.match(
      stdout.text,
      /\nDEVICE_CERTIFICATE_SHARED_CHECK +CRITICAL +WAITING_FOR_DATA_COLLECTION +0 +- +-\n/,
    );
    assert.match(
      stdout.text,
      new RegExp(
        `\\nMEDIUM +DEVICE_CERTIFICATE_EXPIRING_CHECK +DEVICE_CERTIFICATE ${deviceId} +Certificate is approaching its expiration\\. +T0830 T0842 T1020 T1020\\.001 T1040 T1557\\n`,
      ),
    );
    assert.match(
      stdout.text,
      /\nCRITICAL +IOT_POLICY_OVERLY_PERMISSIVE_CHECK +IOT_POLICY open version 1 +Policy allows broad access/,
    );
    assert.match(
      stdout.text,
      /\nLOW +LOGGING_DISABLED_CHECK +ACCOUNT_SETTINGS 123456789012 +Logging is disabled/,
    );
    assert.ok(
      stdout.text.endsWith(
        '\nResult: 3 unsuppressed findings of any severity (1 CRITICAL, 1 MEDIUM, 1 LOW).\n',
      ),
    );

    const configuration = await warden.api('GET', '/audit/configuration');
    assert.equal(configuration.roleArn, 'arn:aws:iam::ACCOUNT:role/warden-audit');
    for (const check of ALL_CHECKS)
      assert.equal(configuration.auditCheckConfigurations[check.name].enabled, true, check.name);
  });

  test('leaves an existing configuration alone with --enable-defaults', async () => {
    const { code, stderr } = await audit([
      '--endpoint',
      warden.endpoint,
      '--enable-defaults',
      '--checks',
      'LOGGING_DISABLED_CHECK',
    ]);

    assert.equal(code, 1);
    assert.equal(
      stderr.text,
      `The account audit configuration already enables ${ALL_CHECKS.length} of ${ALL_CHECKS.length} checks; --enable-defaults left it unchanged\n`,
    );
  });

  test('exits 0 when the findings are below --fail-on', async () => {
    const { code, stdout } = await audit([
      '--endpoint',
      warden.endpoint,
      '--checks',
      'LOGGING_DISABLED_CHECK,DEVICE_CERTIFICATE_EXPIRING_CHECK',
      '--fail-on',
      'HIGH',
    ]);

    assert.equal(code, 0);
    assert.ok(
      stdout.text.endsWith('\nResult: compliant, no unsuppressed finding at or above HIGH.\n'),
    );
  });

  test('writes JSON in the ListAuditFindings shape', async () => {
    const { code, stdout } = await audit(['--endpoint', warden.endpoint, '--format', 'json']);
    const report = JSON.parse(stdout.text);

    assert.equal(code, 1);
    assert.deepEqual(
      report.findings.map((finding: any) => [finding.severity, finding.checkName]),
      [
        ['CRITICAL', 'IOT_POLICY_OVERLY_PERMISSIVE_CHECK'],
        ['MEDIUM', 'DEVICE_CERTIFICATE_EXPIRING_CHECK'],
        ['LOW', 'LOGGING_DISABLED_CHECK'],
      ],
    );
    const taskId = report.summary.taskId;
    const listed = await warden.api('POST', '/audit/findings', { taskId });
    assert.deepEqual(
      [...report.findings].sort((a: any, b: any) => a.findingId.localeCompare(b.findingId)),
      [...listed.findings].sort((a: any, b: any) => a.findingId.localeCompare(b.findingId)),
    );
    assert.equal(report.summary.source.endpoint, warden.endpoint);
    assert.equal(report.summary.checks.length, ALL_CHECKS.length);
  });

  test('writes SARIF with logical locations', async () => {
    const { code, stdout } = await audit(['--endpoint', warden.endpoint, '--format', 'sarif']);
    const log = JSON.parse(stdout.text);
    const results = log.runs[0].results;

    assert.equal(code, 1);
    assert.deepEqual(sarifProblems(log), []);
    assert.equal(log.runs[0].tool.driver.rules.length, ALL_CHECKS.length);
    const expiring = results.find(
      (result: any) => result.ruleId === 'DEVICE_CERTIFICATE_EXPIRING_CHECK',
    );
    assert.deepEqual(expiring.locations, [
      {
        logicalLocations: [
          {
            name: deviceId,
            fullyQualifiedName: `DEVICE_CERTIFICATE/${deviceId}`,
            kind: 'resource',
          },
        ],
      },
    ]);
    assert.equal(expiring.level, 'warning');
    assert.equal(log.runs[0].originalUriBaseIds, undefined);
  });

  test('does not count a suppressed finding', async () => {
    await warden.api('POST', '/audit/suppressions/create', {
      checkName: 'LOGGING_DISABLED_CHECK',
      resourceIdentifier: { account: '123456789012' },
      suppressIndefinitely: true,
      clientRequestToken: 'cli-test',
    });
    const { code, stdout } = await audit([
      '--endpoint',
      warden.endpoint,
      '--checks',
      'LOGGING_DISABLED_CHECK',
    ]);

    assert.equal(code, 0);
    assert.match(stdout.text, /\nLOGGING_DISABLED_CHECK +LOW +COMPLETED_COMPLIANT +1 +1 +1\n/);
    assert.match(stdout.text, /\nFindings \(1, 1 suppressed\):\n/);
    assert.match(stdout.text, /ACCOUNT_SETTINGS 123456789012 +Suppressed: Logging is disabled/);
    assert.ok(
      stdout.text.endsWith('\nResult: compliant, no unsuppressed finding of any severity.\n'),
    );
  });

  test('passes on what Warden rejects', async () => {
    const { code, stderr } = await audit([
      '--endpoint',
      warden.endpoint,
      '--checks',
      'NO_SUCH_CHECK',
    ]);

    assert.equal(code, 2);
    assert.match(
      stderr.text,
      new RegExp(
        `^Warden at ${warden.endpoint} rejected StartOnDemandAuditTask: InvalidRequestException: Unknown audit check "NO_SUCH_CHECK"; known checks: `,
      ),
    );
  });
});

describe('warden audit progress and paging', () => {
  const slow: AuditCheck = {
    name: 'TEST_SLOW_CHECK',
    severity: 'LOW',
    enabledByDefault: true,
    run: async () => {
      await sleep(300);
      return { totalResourcesCount: 0, nonCompliant: [] };
    },
  };
  const many: AuditCheck = {
    name: 'TEST_MANY_CLIENT_IDS_CHECK',
    severity: 'HIGH',
    enabledByDefault: true,
    run: () => ({
      totalResourcesCount: 260,
      nonCompliant: Array.from({ length: 260 }, (_, index) => ({
        resource: {
          resourceType: 'CLIENT_ID',
          resourceIdentifier: { clientId: `client-${index}` },
        },
        relatedResources: [],
        reasonForNonCompliance: `Client ID client-${index} is used by two devices`,
        reasonForNonComplianceCode: 'TEST_DUPLICATE',
      })),
    }),
  };
  const broken: AuditCheck = {
    name: 'TEST_BROKEN_CHECK',
    severity: 'HIGH',
    enabledByDefault: true,
    run: () => {
      throw new Error('no data source');
    },
  };
  const slower: AuditCheck = {
    ...slow,
    name: 'TEST_SLOWER_CHECK',
    run: async () => {
      await sleep(1500);
      return { totalResourcesCount: 0, nonCompliant: [] };
    },
  };
  let warden: Awaited<ReturnType<typeof startWarden>>;

  before(async () => {
    warden = await startWarden([slow, slower, many, broken]);
    await warden.api('PATCH', '/audit/configuration', {
      roleArn: 'arn:aws:iam::123456789012:role/audit',
      auditCheckConfigurations: {
        TEST_SLOW_CHECK: { enabled: true },
        TEST_MANY_CLIENT_IDS_CHECK: { enabled: true },
        TEST_BROKEN_CHECK: { enabled: true },
        TEST_SLOWER_CHECK: { enabled: true },
      },
    });
  });
  after(() => warden.stop());

  test('draws the progress bar on a terminal while the task runs', async () => {
    const { code, stderr } = await audit(
      ['--endpoint', warden.endpoint, '--checks', 'TEST_SLOW_CHECK,TEST_MANY_CLIENT_IDS_CHECK'],
      { stderrTty: true, pollIntervalMs: 50 },
    );

    assert.equal(code, 1);
    assert.equal(stderr.chunks[0], `\r\x1b[2KAuditing [${'-'.repeat(40)}] 0/2 checks`);
    assert.equal(stderr.chunks.at(-2), `\r\x1b[2KAuditing [${'#'.repeat(40)}] 2/2 checks`);
    assert.equal(stderr.chunks.at(-1), '\r\x1b[2K');
  });

  test('draws no progress bar when standard error is not a terminal, unless forced', async () => {
    const checks = ['--checks', 'TEST_SLOW_CHECK'];
    const quiet = await audit(['--endpoint', warden.endpoint, ...checks], { pollIntervalMs: 50 });
    const forced = await audit(['--endpoint', warden.endpoint, ...checks, '--progress'], {
      pollIntervalMs: 50,
    });

    assert.equal(quiet.code, 0);
    assert.equal(quiet.stderr.text, '');
    assert.equal(forced.stderr.chunks[0], `\r\x1b[2KAuditing [${'-'.repeat(40)}] 0/1 checks`);
  });

  test('reads every page of findings', async () => {
    const { code, stdout } = await audit([
      '--endpoint',
      warden.endpoint,
      '--checks',
      'TEST_MANY_CLIENT_IDS_CHECK',
      '--format',
      'json',
    ]);
    const report = JSON.parse(stdout.text);

    assert.equal(code, 1);
    assert.equal(report.findings.length, 260);
    assert.equal(new Set(report.findings.map((finding: any) => finding.findingId)).size, 260);
    assert.equal(report.summary.checks[0].severity, 'HIGH');
  });

  test('exits 2 when a check fails', async () => {
    const { code, stdout, stderr } = await audit([
      '--endpoint',
      warden.endpoint,
      '--checks',
      'TEST_BROKEN_CHECK',
    ]);

    assert.equal(code, 2);
    assert.ok(
      stdout.text.includes('\nFailed: TEST_BROKEN_CHECK: The check failed: no data source\n'),
    );
    assert.equal(stderr.text, 'The audit did not complete: check TEST_BROKEN_CHECK failed\n');
  });

  test('gives up on a task that outlives --timeout', async () => {
    const { code, stderr } = await audit(
      ['--endpoint', warden.endpoint, '--checks', 'TEST_SLOWER_CHECK', '--timeout', '1'],
      { pollIntervalMs: 50 },
    );

    assert.equal(code, 2);
    const match =
      /^Audit task "([0-9a-f]{32})" did not finish within 1 s; it goes on running on Warden, see it with DescribeAuditTask \(GET \/audit\/tasks\/\1\)\n$/.exec(
        stderr.text,
      );
    assert.ok(match, stderr.text);
    // The task is left running; wait for it so the service stops with nothing in flight.
    for (let attempt = 0; attempt < 40; attempt += 1) {
      const task = await warden.api('GET', `/audit/tasks/${match[1]}`);
      if (task.taskStatus !== 'IN_PROGRESS') break;
      await sleep(100);
    }
  });
});

describe('warden audit without a reachable Warden', () => {
  test('exits 2 naming the endpoint and the connection error', async () => {
    const closed = createNetServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const { code, stdout, stderr } = await audit(['--endpoint', `http://127.0.0.1:${port}`]);

    assert.equal(code, 2);
    assert.equal(stdout.text, '');
    assert.equal(
      stderr.text,
      `Cannot reach Warden at http://127.0.0.1:${port}: connect ECONNREFUSED\n`,
    );
  });

  test('exits 2 when the endpoint is not a Warden API', async () => {
    const server: Server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html>router login</html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const { code, stderr } = await audit(['--endpoint', endpoint]);

      assert.equal(code, 2);
      assert.equal(
        stderr.text,
        `Unexpected response from ${endpoint} to DescribeAccountAuditConfiguration: Invalid input: expected object, received string; is this a Warden API endpoint?\n`,
      );
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test('exits 2 when the data directory has no endpoints.json', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'warden-no-endpoints-'));
    try {
      const { code, stderr } = await audit(['--data-dir', dataDir]);

      assert.equal(code, 2);
      assert.equal(
        stderr.text,
        `Cannot read "${path.join(dataDir, 'endpoints.json')}": ENOENT; Warden writes it on start, so check that "warden serve --data-dir ${dataDir}" is running\n`,
      );
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
