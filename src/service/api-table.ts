import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '../core/logger.ts';
import { WardenService } from './warden-service.ts';

const HEADER = `# API

Warden serves the AWS IoT REST API (protocol rest-json, the paths and shapes of the service model
2015-05-28) on its HTTP port. Point the AWS SDKs or CLI at it with an endpoint override, for
example \`aws iot list-things --endpoint-url http://127.0.0.1:8080\`. Timestamps are epoch
seconds; errors carry the AWS error type in \`x-amzn-ErrorType\` and a JSON body with \`message\`.
Request bodies with members the operation does not define are rejected with
InvalidRequestException. An operation that is not listed here answers 404
ResourceNotFoundException naming the method and path.

This table is generated from the routes Warden serves (\`npm run docs:api\`).

| Operation | Method | Path |
| --- | --- | --- |
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
      .map((route) => `| ${route.operation} | ${route.method} | \`${route.path}\` |`)
      .sort();
    return `${HEADER}${rows.join('\n')}\n`;
  } finally {
    await service.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
