import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { AGENT_USAGE } from './agent-args.ts';
import { AGENT_EXIT, runAgentCommand } from './agent-command.ts';
import { createTestPki, startTestBroker, type TestBroker, type TestPki } from './test-broker.ts';

const THING = 'command-test-thing';
const TOPIC = `$aws/things/${THING}/defender/metrics/json`;

describe('runAgentCommand', () => {
  let pki: TestPki;
  let server: TestBroker;
  let status: 'ACCEPTED' | 'REJECTED' = 'ACCEPTED';

  before(async () => {
    pki = createTestPki(THING);
    server = await startTestBroker(pki);
    await server.onPublish(TOPIC, (payload) => {
      // Reports come in either naming style.
      const report = JSON.parse(payload.toString('utf8')) as Record<
        string,
        { report_id?: number; rid?: number }
      >;
      const reportId = report['header']?.report_id ?? report['hed']?.rid;
      const kind = status === 'ACCEPTED' ? 'accepted' : 'rejected';
      const details = { ErrorCode: 'Throttled', ErrorMessage: 'Report sent too soon' };
      const body = {
        thingName: THING,
        reportId,
        status,
        timestamp: Date.now(),
        ...(status === 'REJECTED' && { statusDetails: details }),
      };
      void server.publish(`${TOPIC}/${kind}`, JSON.stringify(body));
    });
  });

  after(async () => {
    await server.close();
    pki.remove();
  });

  function argv(...extra: string[]): string[] {
    return [
      '--endpoint',
      server.endpoint,
      '--thing',
      THING,
      '--cert',
      pki.deviceCert,
      '--key',
      pki.deviceKey,
      '--ca',
      pki.caCert,
      '--count',
      '1',
      ...extra,
    ];
  }

  function capture() {
    const out: string[] = [];
    const err: string[] = [];
    return {
      out,
      err,
      io: { stdout: (line: string) => out.push(line), stderr: (line: string) => err.push(line) },
    };
  }

  it('exits 0 once the counted report is accepted', async () => {
    status = 'ACCEPTED';
    const { out, err, io } = capture();

    assert.equal(await runAgentCommand(argv(), io), AGENT_EXIT.ok);
    assert.deepEqual(err, []);
    assert.match(out.find((line) => line.endsWith(' accepted')) ?? '', /^Report \d+ accepted$/);
  });

  it('exits 1 when the report is rejected', async () => {
    status = 'REJECTED';
    const { out, io } = capture();

    assert.equal(await runAgentCommand(argv('--short-keys'), io), AGENT_EXIT.failed);
    assert.match(out.join('\n'), /^Report \d+ rejected with Throttled: Report sent too soon$/m);
  });

  it('exits 2 with the message and usage for a bad flag', async () => {
    const { out, err, io } = capture();

    assert.equal(await runAgentCommand(argv('--interval', 'abc'), io), AGENT_EXIT.usage);
    assert.deepEqual(err, [
      'Invalid value "abc" for "--interval": must be a positive integer',
      AGENT_USAGE,
    ]);
    assert.deepEqual(out, []);
  });

  it('exits 1 when a file cannot be read', async () => {
    const { err, io } = capture();
    const args = argv();
    args[args.indexOf('--key') + 1] = `${pki.dir}/absent.key`;

    assert.equal(await runAgentCommand(args, io), AGENT_EXIT.failed);
    assert.equal(err.length, 1);
    assert.match(err[0] ?? '', /^Cannot read private key file ".*absent\.key": ENOENT/);
  });
});
