import type { Route } from '../api/route.ts';
import { invalidRequest } from '../core/errors.ts';
import { parseThingNamePathSegment, type ReportAnswer } from '../metrics/report/index.ts';
import type { ReportIntake } from '../metrics/intake.ts';

/** Warden's own routes beside the AWS operations: health and the HTTP report intake. */
export function serviceRoutes(intake: ReportIntake): Route[] {
  return [
    {
      operation: 'Health',
      method: 'GET',
      path: '/health',
      handler: () => ({ body: { status: 'ok' } }),
    },
    {
      operation: 'SubmitMetricsReport',
      method: 'POST',
      // The thing name is matched raw so that the intake, not the router, judges its characters.
      path: '/metrics/{thingName}',
      rawBody: true,
      handler: async ({ params, body, headers }) => {
        const segment = parseThingNamePathSegment(encodeURIComponent(params['thingName'] ?? ''));
        const thingName = segment.ok ? segment.thingName : (params['thingName'] ?? '');
        const format = formatOf(headers['content-type']);
        const answer = await intake.submit(thingName, body as Buffer, format);
        return { status: statusOf(answer), body: answer };
      },
    },
  ];
}

function formatOf(contentType: string | string[] | undefined): 'json' | 'cbor' {
  const type = (Array.isArray(contentType) ? contentType[0] : contentType)
    ?.split(';')[0]
    ?.trim()
    .toLowerCase();
  if (type === undefined || type === 'application/json') return 'json';
  if (type === 'application/cbor') return 'cbor';
  throw invalidRequest(
    `Unsupported content type "${type}": send application/json or application/cbor`,
  );
}

function statusOf(answer: ReportAnswer): number {
  if (answer.status === 'ACCEPTED') return 200;
  switch (answer.statusDetails.ErrorCode) {
    case 'Throttled':
      return 429;
    case 'DuplicateReportId':
      return 409;
    case 'PayloadTooLarge':
      return 413;
    case 'InternalError':
      return 500;
    default:
      return 400;
  }
}
