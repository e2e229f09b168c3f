import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { TestWarden, thingScopedPolicy } from '../../testing/harness.ts';
import { createTestCa, issueTestCertificate } from '../../testing/pki.ts';

const run = promisify(execFile);

/**
 * Debian's AWS CLI v2 (package awscli). The `aws` first on PATH may be another install, such as
 * a pyenv shim of CLI v1, which signs and pages differently.
 */
const AWS_CLI = '/usr/bin/aws';
const ACCOUNT = 'arn:aws:iot:us-east-1:123456789012';

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe(
  'AWS CLI smoke test',
  { skip: existsSync(AWS_CLI) ? false : `${AWS_CLI} is missing: apt-get install -y awscli` },
  () => {
    let warden: TestWarden;
    let dir: string;
    let env: NodeJS.ProcessEnv;

    /** Runs `aws iot ARGS` against Warden. The CLI exits 254 on a service error. */
    async function iot(...args: string[]): Promise<CliResult> {
      const argv = [
        'iot',
        ...args,
        '--endpoint-url',
        warden.endpoints.http,
        '--region',
        'us-east-1',
        '--output',
        'json',
      ];
      try {
        const { stdout, stderr } = await run(AWS_CLI, argv, { env, timeout: 30_000 });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const failure = error as { code?: number; stdout?: string; stderr?: string };
        if (typeof failure.code !== 'number') throw error;
        return { code: failure.code, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
      }
    }

    /** Runs a command that must succeed and returns its parsed JSON output, or {} for none. */
    async function iotJson(...args: string[]): Promise<any> {
      const result = await iot(...args);
      assert.equal(result.code, 0, `aws iot ${args[0]} failed: ${result.stderr}`);
      return result.stdout.trim() === '' ? {} : JSON.parse(result.stdout);
    }

    before(async () => {
      // Warden writes its root key to DATA_DIR/credentials; the CLI signs with that file as is.
      warden = await TestWarden.start({ root: null });
      dir = await mkdtemp(path.join(tmpdir(), 'warden-cli-'));
      const credentials = path.join(warden.dataDir, 'credentials');
      const config = path.join(dir, 'config');
      await writeFile(
        config,
        '[profile warden]\nregion = us-east-1\nmax_attempts = 1\ncli_pager =\n',
      );
      // Only what the CLI needs: no profile, keys, region or endpoint from the caller's shell.
      env = {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        HOME: dir,
        LANG: 'C.UTF-8',
        AWS_CONFIG_FILE: config,
        AWS_SHARED_CREDENTIALS_FILE: credentials,
        AWS_PROFILE: 'warden',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_PAGER: '',
      };
    });

    after(async () => {
      await warden?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    test('registers a device, profiles its group and lists its violation', async () => {
      const ca = await createTestCa('Fleet CA');
      const device = await issueTestCertificate(ca, 'sensor-1');
      await writeFile(path.join(dir, 'ca.pem'), ca.certPem);
      await writeFile(path.join(dir, 'device.pem'), device.certPem);
      await writeFile(path.join(dir, 'policy.json'), JSON.stringify(thingScopedPolicy()));
      const file = (name: string) => `file://${path.join(dir, name)}`;

      const registeredCa = await iotJson(
        'register-ca-certificate',
        '--ca-certificate',
        file('ca.pem'),
        '--set-as-active',
      );
      assert.match(registeredCa.certificateId, /^[0-9a-f]{64}$/);

      const registered = await iotJson(
        'register-certificate',
        '--certificate-pem',
        file('device.pem'),
        '--ca-certificate-pem',
        file('ca.pem'),
        '--status',
        'ACTIVE',
      );
      assert.equal(registered.certificateArn, `${ACCOUNT}:cert/${registered.certificateId}`);

      const thing = await iotJson(
        'create-thing',
        '--thing-name',
        'sensor-1',
        '--attribute-payload',
        '{"attributes":{"model":"x1"}}',
      );
      assert.equal(thing.thingArn, `${ACCOUNT}:thing/sensor-1`);
      await iotJson(
        'attach-thing-principal',
        '--thing-name',
        'sensor-1',
        '--principal',
        registered.certificateArn,
      );

      const policy = await iotJson(
        'create-policy',
        '--policy-name',
        'device',
        '--policy-document',
        file('policy.json'),
      );
      assert.equal(policy.policyVersionId, '1');

      await iotJson('create-thing-group', '--thing-group-name', 'fleet');
      // Membership goes through the REST API directly: each CLI start costs about a second.
      const membership = { thingGroupName: 'fleet', thingName: 'sensor-1' };
      const added = await warden.api('PUT', '/thing-groups/addThingToThingGroup', membership);
      assert.equal(added.status, 200);

      const behaviors = JSON.stringify([
        {
          name: 'few-listeners',
          metric: 'aws:num-listening-tcp-ports',
          criteria: {
            comparisonOperator: 'less-than-equals',
            value: { count: 1 },
            consecutiveDatapointsToAlarm: 1,
          },
        },
      ]);
      const profile = await iotJson(
        'create-security-profile',
        '--security-profile-name',
        'ports',
        '--behaviors',
        behaviors,
      );
      assert.equal(profile.securityProfileArn, `${ACCOUNT}:securityprofile/ports`);
      await iotJson(
        'attach-security-profile',
        '--security-profile-name',
        'ports',
        '--security-profile-target-arn',
        `${ACCOUNT}:thinggroup/fleet`,
      );

      const profiles = await iotJson('list-security-profiles');
      assert.deepEqual(profiles.securityProfileIdentifiers, [
        { name: 'ports', arn: `${ACCOUNT}:securityprofile/ports` },
      ]);

      // The device reports three listening ports over HTTP, which violates the behavior.
      const report = {
        header: { report_id: 1, version: '1.0' },
        metrics: {
          listening_tcp_ports: { ports: [{ port: 22 }, { port: 80 }, { port: 443 }], total: 3 },
        },
      };
      assert.equal((await warden.api('POST', '/metrics/sensor-1', report)).status, 200);
      const violations = await iotJson('list-active-violations', '--thing-name', 'sensor-1');
      assert.equal(violations.activeViolations.length, 1);
      assert.equal(violations.activeViolations[0].behavior.name, 'few-listeners');
      assert.deepEqual(violations.activeViolations[0].lastViolationValue, { count: 3 });
      assert.equal(typeof violations.activeViolations[0].lastViolationTime, 'string');
    });

    test('starts an audit and lists its findings', async () => {
      await iotJson(
        'update-account-audit-configuration',
        '--role-arn',
        'arn:aws:iam::123456789012:role/audit',
        '--audit-check-configurations',
        JSON.stringify({ LOGGING_DISABLED_CHECK: { enabled: true } }),
      );
      const started = await iotJson(
        'start-on-demand-audit-task',
        '--target-check-names',
        'LOGGING_DISABLED_CHECK',
      );
      assert.match(started.taskId, /^[0-9a-f]{32}$/);
      for (let attempt = 0; attempt < 100; attempt += 1) {
        const task = await warden.api('GET', `/audit/tasks/${started.taskId}`);
        if (task.body.taskStatus !== 'IN_PROGRESS') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const listed = await iotJson('list-audit-findings', '--task-id', started.taskId);
      assert.deepEqual(
        listed.findings.map((finding: { checkName: string }) => finding.checkName),
        ['LOGGING_DISABLED_CHECK'],
      );
    });

    test('a profile with a wrong secret is refused with the failed part named', async () => {
      const wrong = path.join(dir, 'wrong-credentials');
      await writeFile(
        wrong,
        `[warden]\naws_access_key_id = ${warden.credentials.accessKeyId}\naws_secret_access_key = not-the-secret-0123456789\n`,
      );
      const saved = env;
      env = { ...env, AWS_SHARED_CREDENTIALS_FILE: wrong };
      try {
        const result = await iot('list-things');
        assert.equal(result.code, 254);
        assert.equal(
          result.stderr.trim(),
          'An error occurred (InvalidSignatureException) when calling the ListThings operation (reached max retries: 0): Signature does not match: check the secret access key and that the request was not changed after signing',
        );
      } finally {
        env = saved;
      }
    });

    test('prints the modeled error for a missing thing', async () => {
      const result = await iot('describe-thing', '--thing-name', 'ghost');
      assert.equal(result.code, 254);
      assert.equal(result.stdout, '');
      assert.equal(
        result.stderr.trim(),
        'An error occurred (ResourceNotFoundException) when calling the DescribeThing operation (reached max retries: 0): Thing "ghost" does not exist',
      );
    });
  },
);
