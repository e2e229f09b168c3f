import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lowestPolicy } from '../api/auth/access-policy.ts';
import { silentLogger } from '../core/logger.ts';
import { WardenService } from './warden-service.ts';

const HEADER = `# API

Warden serves the AWS IoT REST API (protocol rest-json, the paths and shapes of the service model
2015-05-28) on its HTTP port. Point the AWS SDKs or CLI at it with an endpoint override, for
example \`aws iot list-things --endpoint-url http://127.0.0.1:8080\`. Timestamps are epoch
seconds; errors carry the AWS error type in \`x-amzn-ErrorType\` and a JSON body with \`message\`.
Request bodies with members the operation does not define are rejected with
InvalidRequestException.

## Signing and keys

Every request, \`/health\` included, must carry an AWS Signature Version 4 signature, in the
\`Authorization\` header or in \`X-Amz-*\` query parameters (\`X-Amz-Expires\` at most 3600
seconds). The credential scope may name the service \`iot\` (the SDKs) or \`execute-api\`
(Debian's aws-cli 2.9), and any region unless \`--allowed-regions\` limits them. Warden checks:

- the request time (\`X-Amz-Date\`) is within 5 minutes of the server clock, so a captured
  request cannot be replayed later;
- the body's SHA-256 equals a sent \`x-amz-content-sha256\` (a signer trusts that header, so
  without the check a tampered body of the same length would verify);
- \`host\` and every \`x-amz-*\` and \`x-amzn-*\` header sent (\`x-amzn-trace-id\` excepted) are
  signed, because some carry parameters such as \`x-amzn-principal\`; session tokens
  (\`x-amz-security-token\`) are refused, as Warden issues no temporary credentials;
- the signature, compared in constant time. The canonical path may be encoded twice (the AWS
  SDKs and CLI) or as sent, and the query sorted or verbatim (curl before 8), because those
  clients sign the same request in those forms.

A refused request gets 403 before any route is matched, so an unsigned caller learns nothing,
not even whether a path exists. (The body is read first, to hash it: one over 1 MiB gets 400
InvalidRequestException before the signature is checked.) The error type says which part
failed:

| Error type | When |
| --- | --- |
| MissingAuthenticationTokenException | no signature at all |
| IncompleteSignatureException | a part of the signature is missing or malformed |
| InvalidSignatureException | wrong service or region, stale or future time, body hash or signature mismatch |
| UnrecognizedClientException | the access key is unknown or revoked |
| AccessDeniedException | the key's policy does not allow the operation |

Past a key's rate (\`--rate-limit\`, default 100 requests per second with a burst of 200) the
response is ThrottlingException (HTTP 400, as the service model says). An address that sent
more than \`--auth-failure-limit\` (default 100) badly signed requests in the current minute
gets the same error. The root key comes from
\`WARDEN_ROOT_ACCESS_KEY_ID\` and \`WARDEN_ROOT_SECRET_ACCESS_KEY\`, or from
\`DATA_DIR/credentials\` (profile \`warden\`), which the first start writes with mode 0600.
\`warden keys create --name NAME --policy read-only|operator|admin\`, \`warden keys list\` and
\`warden keys revoke NAME\` manage further keys. The "Lowest key" column says which policy each
operation needs: \`read-only\` keys may only read; \`operator\` keys also run the fleet (audits,
mitigation tasks, suppressions, things, certificates, reports, rollbacks); only \`admin\` keys
change the security setup.

## Operations

This table is generated from the routes Warden serves (\`npm run docs:api\`). An operation that is
not listed answers 403 to unsigned callers and 404 ResourceNotFoundException naming the method and
path to signed ones. An operation whose status is "not implemented" answers
InvalidRequestException naming the operation and the reason.

| Operation | Method | Path | Lowest key | Status |
| --- | --- | --- | --- | --- |
`;

/** Renders docs/api.md from the routes of a freshly started service. */
export async function renderApiTable(): Promise<string> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'warden-api-doc-'));
  const service = new WardenService({
    dataDir,
    host: '127.0.0.1',
    mqttPort: 0,
    httpPort: 0,
    logger: silentLogger(),
    scheduleCloudMetrics: false,
  });
  try {
    await service.start();
    const rows = service
      .operations()
      .map((route) => {
        const status =
          route.notImplemented === undefined
            ? 'served'
            : `not implemented: ${route.notImplemented}`;
        const key = lowestPolicy(route.operation);
        return `| ${route.operation} | ${route.method} | \`${route.path}\` | ${key} | ${status} |`;
      })
      .sort();
    return `${HEADER}${rows.join('\n')}\n`;
  } finally {
    await service.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
