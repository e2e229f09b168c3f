import { signedFetch } from '../client/signed-fetch.ts';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { Encoder } from 'cbor-x';
import { FakeClock } from '../core/clock.ts';
import { TestWarden } from '../testing/harness.ts';
import { sharedPath } from '../testing/shared-reference.ts';

const INTERVAL_MS = 300_000;
const cbor = new Encoder({ useRecords: false, mapsAsObjects: true });

function fixture(name: string, reportId: number): Record<string, any> {
  const path = sharedPath('fixtures', 'metrics-reports', name);
  const report = JSON.parse(readFileSync(path, 'utf8'));
  if (report.header) report.header.report_id = reportId;
  else report.hed.rid = reportId;
  return report;
}

interface HttpAnswer {
  status: number;
  contentType: string | null;
  errorType: string | null;
  body: any;
}

describe('report intake over HTTP', () => {
  const clock = new FakeClock();
  let warden: TestWarden;

  async function post(
    thingPath: string,
    body: string | Uint8Array,
    contentType = 'application/json',
  ): Promise<HttpAnswer> {
    const response = await signedFetch(
      `${warden.endpoints.http}/metrics/${thingPath}`,
      {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: typeof body === 'string' ? body : Buffer.from(body),
      },
      warden.credentials,
    );
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      errorType: response.headers.get('x-amzn-errortype'),
      body: JSON.parse(await response.text()),
    };
  }

  before(async () => {
    warden = await TestWarden.start({ clock, minReportIntervalMs: INTERVAL_MS });
  });

  after(async () => {
    await warden?.stop();
  });

  test('accepts documented reports as JSON and CBOR', async () => {
    const cases = [
      ['documented-long-names.json', 'application/json', 1],
      ['documented-short-names.json', 'application/cbor', 2],
      ['documented-long-names.json', 'application/cbor; charset=binary', 3],
      ['documented-short-names.json', 'Application/JSON', 4],
    ] as const;
    for (const [name, contentType, reportId] of cases) {
      clock.advance(INTERVAL_MS);
      const report = fixture(name, reportId);
      const body = contentType.toLowerCase().includes('cbor')
        ? cbor.encode(report)
        : JSON.stringify(report);
      const answer = await post('http-1', body, contentType);

      assert.equal(answer.status, 200, `${name} as ${contentType}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.contentType, 'application/json');
      assert.deepEqual(answer.body, {
        thingName: 'http-1',
        reportId,
        status: 'ACCEPTED',
        timestamp: clock.now(),
      });
    }
    const reports = await warden.service.detect.store.queryReports('http-1', 0, clock.now() + 1);
    assert.deepEqual(
      reports.map((report) => report.reportId),
      [1, 2, 3, 4],
    );
  });

  test('maps rejected reports to status codes', async () => {
    clock.advance(INTERVAL_MS);
    const valid = (reportId: number) =>
      JSON.stringify({ header: { report_id: reportId, version: '1.0' }, metrics: {} });
    const accepted = await post('http-2', valid(10));
    assert.equal(accepted.status, 200);
    const oversize = JSON.stringify({
      header: { report_id: 11, version: '1.0' },
      padding: 'x'.repeat(131_072),
    });

    // [case, path, body, content type, HTTP status, error code, error message]
    const cases: [string, string, string | Uint8Array, string, number, string, string][] = [
      [
        'truncated JSON',
        'http-2',
        valid(11).slice(0, 10),
        'application/json',
        400,
        'InvalidPayload',
        'Malformed metrics report: Unexpected end of JSON input',
      ],
      [
        'truncated CBOR',
        'http-2',
        cbor.encode(JSON.parse(valid(11))).subarray(0, 6),
        'application/cbor',
        400,
        'InvalidPayload',
        'Malformed metrics report: Unexpected end of CBOR data',
      ],
      [
        'report sooner than the minimum interval',
        'http-2',
        valid(11),
        'application/json',
        429,
        'Throttled',
        'Thing "http-2" reported 0 s after its previous report; at most one report per 300 s is accepted, retry in 300 s',
      ],
      [
        'duplicate report id',
        'http-2',
        valid(10),
        'application/json',
        409,
        'DuplicateReportId',
        'Report id 10 is not greater than the last accepted report id 10 of thing "http-2"',
      ],
      [
        'payload above 128 KiB',
        'http-2',
        oversize,
        'application/json',
        413,
        'PayloadTooLarge',
        `Metrics report too large: ${oversize.length} bytes, the maximum is 131072 bytes`,
      ],
      [
        'plus sign in the thing name',
        'bad%2Bname',
        valid(1),
        'application/json',
        400,
        'InvalidThingName',
        'Invalid thing name "bad+name": must not contain "+", "#" or "/"',
      ],
      [
        'control character in the thing name',
        'bad%01name',
        valid(1),
        'application/json',
        400,
        'InvalidThingName',
        'Invalid thing name "bad\\u0001name": must not contain control characters',
      ],
    ];

    for (const [name, thingPath, body, contentType, status, code, message] of cases) {
      const answer = await post(thingPath, body, contentType);
      assert.equal(answer.status, status, `${name}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.status, 'REJECTED', name);
      assert.equal(answer.body.statusDetails.ErrorCode, code, name);
      assert.equal(answer.body.statusDetails.ErrorMessage, message, name);
    }
    assert.equal(warden.service.detect.reportStates.get('http-2')?.lastReportId, 10);
  });

  test('rejects an unsupported content type', async () => {
    const answer = await post('http-3', 'hello', 'text/plain');
    assert.equal(answer.status, 400);
    assert.equal(answer.errorType, 'InvalidRequestException');
    assert.deepEqual(answer.body, {
      message: 'Unsupported content type "text/plain": send application/json or application/cbor',
    });
    assert.equal(warden.service.detect.reportStates.get('http-3'), undefined);
  });
});
