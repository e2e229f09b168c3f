/**
 * The mitigation routes on a real HTTP server on 127.0.0.1, over the test kit's stores and
 * RecordingMitigator, with an `endpoints.json` in a temporary data directory as `warden serve`
 * writes it. For API and CLI tests until the routes are part of the Warden service.
 */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApiServer } from '../../api/http-server.ts';
import { signedFetch } from '../../client/signed-fetch.ts';
import { TEST_ROOT, testAuth } from '../../testing/credentials.ts';
import { silentLogger } from '../../core/logger.ts';
import { AlertDispatcher } from '../../detect/alerts.ts';
import { autoResponseRoutes } from '../api/auto-response-api.ts';
import { executionRoutes } from '../api/executions-api.ts';
import { AutoResponseRules } from './auto-response-rules.ts';
import { AutoResponder } from './auto-responder.ts';
import { createMitigationTestKit, testTargets, type MitigationTestKit } from './test-kit.ts';

export interface TestMitigationApi {
  endpoint: string;
  dataDir: string;
  kit: MitigationTestKit;
  rules: AutoResponseRules;
  responder: AutoResponder;
  /** Calls a route and returns status, error type and parsed body. */
  call(method: string, pathAndQuery: string, body?: unknown): Promise<TestApiResponse>;
  stop(): Promise<void>;
}

export interface TestApiResponse {
  status: number;
  errorType: string | null;
  /** Parsed JSON of whichever shape the route returns. Tests read it loosely. */
  body: any;
}

/** Starts the server. Alert target "guard-alerts" counts as configured but delivers nowhere. */
export async function startTestMitigationApi(): Promise<TestMitigationApi> {
  const kit = await createMitigationTestKit();
  const logger = silentLogger();
  const rules = new AutoResponseRules({
    store: kit.store,
    clock: kit.clock,
    checkNames: ['DEVICE_CERTIFICATE_SHARED_CHECK'],
    hasAlertTarget: (name) => name === 'guard-alerts',
  });
  const alerts = new AlertDispatcher({
    targets: [],
    publish: async () => undefined,
    clock: kit.clock,
    logger,
  });
  const responder = new AutoResponder({
    store: kit.store,
    rules,
    mitigator: kit.mitigator,
    targets: testTargets,
    findings: kit.auditStore,
    alerts,
    clock: kit.clock,
    logger,
  });
  const server = new ApiServer({
    host: '127.0.0.1',
    port: 0,
    logger,
    auth: testAuth(),
    routes: [
      ...autoResponseRoutes({
        rules,
        guard: responder.guard,
        events: responder.events,
        clock: kit.clock,
      }),
      ...executionRoutes(kit.store, kit.mitigator),
    ],
  });
  const address = await server.listen();
  const endpoint = `http://127.0.0.1:${address.port}`;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'warden-mitigation-api-'));
  const endpoints = { mqtt: 'mqtts://127.0.0.1:8883', http: endpoint };
  await writeFile(path.join(dataDir, 'endpoints.json'), JSON.stringify(endpoints) + '\n');

  const call = async (method: string, pathAndQuery: string, body?: unknown) => {
    const init = {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    };
    const response = await signedFetch(`${endpoint}${pathAndQuery}`, init, TEST_ROOT);
    const text = await response.text();
    return {
      status: response.status,
      errorType: response.headers.get('x-amzn-errortype'),
      body: text === '' ? undefined : JSON.parse(text),
    };
  };
  const stop = async () => {
    await responder.drain();
    await server.close();
    kit.db.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  return { endpoint, dataDir, kit, rules, responder, call, stop };
}
