import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SigV4Auth } from '../api/auth/api-auth.ts';
import { FailureLimiter } from '../api/auth/failure-limiter.ts';
import { KeyRateLimiter } from '../api/auth/rate-limiter.ts';
import { SigV4Verifier } from '../api/auth/request-verifier.ts';
import { ApiServer } from '../api/http-server.ts';
import { notImplementedRoutes } from '../api/not-implemented.ts';
import type { AuditCheck } from '../audit/audit-check.ts';
import { ALL_CHECKS } from '../audit/checks/index.ts';
import { AuditService } from '../audit/audit-service.ts';
import { liveSnapshotSource } from '../audit/live-snapshot.ts';
import { SqliteAuditStore } from '../store/sqlite-audit-store.ts';
import { WardenBroker } from '../broker/broker.ts';
import { malformedPolicyError, validatePolicyDocument } from '../broker/policy/index.ts';
import { ensureServerTls, type ServerTls } from '../broker/server-tls.ts';
import type { Session } from '../broker/session.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { AlertTargetConfig } from '../detect/alert-target.ts';
import { AlertDispatcher } from '../detect/alerts.ts';
import { alertTargetRoutes } from '../detect/api/alert-targets-api.ts';
import { metricValueRoutes } from '../detect/api/metric-values-api.ts';
import { metricRoutes } from '../detect/api/metrics-api.ts';
import { profileRoutes } from '../detect/api/profiles-api.ts';
import { violationRoutes } from '../detect/api/violations-api.ts';
import { DetectState } from '../detect/detect-state.ts';
import { Evaluator } from '../detect/evaluator.ts';
import { SecurityProfiles } from '../detect/security-profiles.ts';
import { CloudMetrics } from '../metrics/cloud-metrics.ts';
import { ReportIntake } from '../metrics/intake.ts';
import { buildAnswerTopic, encodeAnswer, parseReportTopic } from '../metrics/report/index.ts';
import { certificateRoutes } from '../registry/api/certificates-api.ts';
import { crlRoutes } from '../registry/api/crl-api.ts';
import { iamRoutes } from '../registry/api/iam-api.ts';
import { roleAliasRoutes } from '../registry/api/role-aliases-api.ts';
import { policyRoutes } from '../registry/api/policies-api.ts';
import { principalRoutes } from '../registry/api/principals-api.ts';
import { thingGroupRoutes } from '../registry/api/thing-groups-api.ts';
import { thingRoutes } from '../registry/api/things-api.ts';
import { RegistryState } from '../registry/registry.ts';
import { WorkerBatchWriter, type GroupWriter } from '../store/batch-writer.ts';
import { SqliteAlertTargetStore } from '../store/sqlite-alert-target-store.ts';
import { openSqlite, type SqliteHandle } from '../store/sqlite-database.ts';
import { SqliteDetectStore } from '../store/sqlite-detect-store.ts';
import { SqliteHistoryStore } from '../store/sqlite-history-store.ts';
import { SqliteRegistryStore } from '../store/sqlite-registry-store.ts';
import { resolveRootCredentials, type RootCredentials } from '../keys/credentials-file.ts';
import { SqliteKeyStore } from '../keys/key-store.ts';
import { Maintenance } from './maintenance.ts';
import { MitigationService } from './mitigation-service.ts';
import { MIGRATIONS } from './migrations.ts';
import { serviceRoutes } from './service-routes.ts';

export interface WardenServiceOptions {
  dataDir: string;
  host: string;
  mqttPort: number;
  httpPort: number;
  logger: Logger;
  clock?: Clock;
  region?: string;
  accountId?: string;
  minReportIntervalMs?: number;
  alertTargets?: AlertTargetConfig[];
  /** Audit checks to offer; every check Warden ships by default. */
  auditChecks?: readonly AuditCheck[];
  /** Closes cloud-metric buckets on the wall clock; tests with a fake clock turn it off. */
  scheduleCloudMetrics?: boolean;
  /** The root pair from the environment; otherwise `DATA_DIR/credentials` (written if absent). */
  rootAccessKeyId?: string;
  rootSecretAccessKey?: string;
  /** Regions accepted in request signatures; every region when absent. */
  allowedRegions?: readonly string[];
  /** The clock request times are checked against; the wall clock unless a test sets one. */
  authClock?: Clock;
  /** API requests per second per key, with a burst of twice that; 0 turns limiting off. */
  rateLimitPerKey?: number;
  /** Badly signed requests per address and minute before it is refused; 0 turns it off. */
  authFailureLimit?: number;
  /** Serves the API over HTTPS with the broker's certificate (clients trust `tls/server-ca.pem`). */
  apiTls?: boolean;
}

/** Requests per second per key when nothing else is configured. */
export const DEFAULT_RATE_LIMIT = 100;

/** Badly signed requests per address and minute before the address is refused. */
export const DEFAULT_AUTH_FAILURE_LIMIT = 100;

export interface Endpoints {
  mqtt: string;
  http: string;
}

/**
 * One Warden process: the SQLite store, the registry, the broker on mutual TLS, report intake,
 * cloud-side metrics, Rules Detect with alerts, and the REST API, wired together.
 */
export class WardenService {
  registry!: RegistryState;
  detect!: DetectState;
  evaluator!: Evaluator;
  intake!: ReportIntake;
  cloudMetrics!: CloudMetrics;
  broker!: WardenBroker;
  alerts!: AlertDispatcher;
  history!: SqliteHistoryStore;
  maintenance!: Maintenance;
  audit!: AuditService;
  mitigation!: MitigationService;
  endpoints!: Endpoints;
  keys!: SqliteKeyStore;
  rootCredentials!: RootCredentials;
  private api!: ApiServer;
  private db!: SqliteHandle;
  private writer!: GroupWriter;
  readonly clock: Clock;

  constructor(private readonly options: WardenServiceOptions) {
    this.clock = options.clock ?? systemClock;
  }

  async start(): Promise<Endpoints> {
    const { options } = this;
    await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
    await this.openStores();
    this.createDetect();
    const tls = await ensureServerTls(options.dataDir, options.host);
    this.createBroker(tls);
    const auditStore = new SqliteAuditStore(this.db);
    this.createAudit(auditStore);
    this.mitigation = new MitigationService({
      db: this.db,
      registry: this.registry,
      broker: this.broker,
      alerts: this.alerts,
      detect: this.detect,
      evaluator: this.evaluator,
      audit: this.audit,
      auditStore,
      checks: options.auditChecks ?? ALL_CHECKS,
      clock: this.clock,
      logger: options.logger,
    });
    await this.mitigation.start();
    this.maintenance = new Maintenance({
      evaluator: this.evaluator,
      detectStore: this.detect.store,
      history: this.history,
      auditStore,
      pruneMore: (before) => this.mitigation.prune(before),
      clock: this.clock,
      logger: options.logger.child({ component: 'maintenance' }),
    });

    const endpoints = await this.listen(tls);
    if (options.scheduleCloudMetrics !== false) {
      this.cloudMetrics.start();
      this.maintenance.start();
      this.audit.start();
    }
    const credentials = this.rootCredentials;
    options.logger.info(
      {
        ...endpoints,
        dataDir: options.dataDir,
        serverCa: tls.caFile,
        rootAccessKeyId: credentials.accessKeyId,
        rootCredentials: credentials.file ?? 'environment',
      },
      'warden started',
    );
    return endpoints;
  }

  private async openStores(): Promise<void> {
    const { options, clock } = this;
    // Credentials first: a refused credentials file must not leave an open store behind.
    this.rootCredentials = await resolveRootCredentials(options.dataDir, {
      ...(options.rootAccessKeyId === undefined ? {} : { accessKeyId: options.rootAccessKeyId }),
      ...(options.rootSecretAccessKey === undefined
        ? {}
        : { secretAccessKey: options.rootSecretAccessKey }),
    });
    const file = path.join(options.dataDir, 'warden.db');
    this.db = openSqlite(file, MIGRATIONS);
    this.writer = new WorkerBatchWriter(file);
    this.registry = new RegistryState(new SqliteRegistryStore(this.db), clock, {
      region: options.region ?? 'us-east-1',
      accountId: options.accountId ?? '123456789012',
    });
    await this.registry.load();
    this.detect = new DetectState(new SqliteDetectStore(this.db, this.writer));
    await this.detect.load();
    this.history = new SqliteHistoryStore(this.db, this.writer);
    this.keys = new SqliteKeyStore(this.db);
  }

  /** Signature checks against the root key and the stored keys, with per-key rate limits. */
  private createAuth(): SigV4Auth {
    const { options, rootCredentials: root } = this;
    const rootPrincipal = { accessKeyId: root.accessKeyId, name: 'root', policy: 'admin' as const };
    const verifier = new SigV4Verifier({
      clock: options.authClock ?? systemClock,
      regions: options.allowedRegions === undefined ? 'any' : new Set(options.allowedRegions),
      resolveKey: (accessKeyId) => {
        if (accessKeyId === root.accessKeyId) {
          return { secretAccessKey: root.secretAccessKey, principal: rootPrincipal };
        }
        const key = this.keys.findActive(accessKeyId);
        if (key === undefined) return undefined;
        const principal = { accessKeyId, name: key.name, policy: key.policy };
        return { secretAccessKey: key.secretAccessKey, principal };
      },
    });
    const limiter = new KeyRateLimiter(options.rateLimitPerKey ?? DEFAULT_RATE_LIMIT, this.clock);
    const authClock = options.authClock ?? systemClock;
    const failureLimit = options.authFailureLimit ?? DEFAULT_AUTH_FAILURE_LIMIT;
    const logger = options.logger.child({ component: 'api' });
    return new SigV4Auth({
      verifier,
      limiter,
      failures: new FailureLimiter(failureLimit, authClock),
      onBlocked: (address) =>
        logger.warn(
          { sourceIp: address, limit: failureLimit },
          'address refused for the rest of the minute after too many badly signed requests',
        ),
    });
  }

  private createDetect(): void {
    const { options, clock } = this;
    const logger = options.logger;
    this.evaluator = new Evaluator(
      this.detect,
      this.registry,
      clock,
      logger.child({ component: 'detect' }),
    );
    const interval =
      options.minReportIntervalMs === undefined
        ? {}
        : { minReportIntervalMs: options.minReportIntervalMs };
    this.intake = new ReportIntake(
      this.detect,
      this.evaluator,
      clock,
      logger.child({ component: 'intake' }),
      interval,
    );
    this.cloudMetrics = new CloudMetrics(
      this.detect,
      this.registry,
      this.evaluator,
      clock,
      logger.child({ component: 'cloud-metrics' }),
    );
  }

  private createBroker(tls: ServerTls): void {
    const { options, clock } = this;
    this.broker = new WardenBroker({
      host: options.host,
      port: options.mqttPort,
      tls,
      registry: this.registry,
      history: this.history,
      observer: this.cloudMetrics,
      clock,
      logger: options.logger.child({ component: 'broker' }),
      onReport: (session, topic, payload) => this.handleMqttReport(session, topic, payload),
    });
    this.alerts = new AlertDispatcher({
      targets: new SqliteAlertTargetStore(this.db).seed(options.alertTargets ?? [], clock.now()),
      publish: (topic, payload) => this.broker.publish(topic, payload, 1),
      clock,
      logger: options.logger.child({ component: 'alerts' }),
    });
    this.evaluator.onViolationEvent((event, profile) => this.alerts.dispatch(event, profile));
  }

  private createAudit(store: SqliteAuditStore): void {
    const registry = this.registry;
    const identities = () => ({
      roleAliases: registry.all('roleAlias'),
      roles: registry.all('iamRole'),
      identityPools: registry.all('identityPool'),
      crls: registry.all('crl'),
    });
    this.audit = new AuditService({
      store,
      checks: this.options.auditChecks ?? ALL_CHECKS,
      snapshot: liveSnapshotSource(registry, this.history, identities),
      alerts: this.alerts,
      clock: this.clock,
      logger: this.options.logger.child({ component: 'audit' }),
      accountId: registry.arns.accountId,
      region: registry.arns.region,
    });
  }

  /** Starts both listeners and writes `endpoints.json` once they serve. */
  private async listen(tls: ServerTls): Promise<Endpoints> {
    const { options } = this;
    const mqtt = await this.broker.start();
    this.api = new ApiServer({
      host: options.host,
      port: options.httpPort,
      routes: this.routes(),
      auth: this.createAuth(),
      logger: options.logger.child({ component: 'api' }),
      ...(options.apiTls === true ? { tls } : {}),
    });
    const http = await this.api.listen();

    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    const scheme = options.apiTls === true ? 'https' : 'http';
    this.endpoints = {
      mqtt: `mqtts://${host}:${mqtt.port}`,
      http: `${scheme}://${host}:${http.port}`,
    };
    // Written to a temporary file and renamed, so a reader never sees a half-written file.
    const file = path.join(options.dataDir, 'endpoints.json');
    await writeFile(`${file}.tmp`, JSON.stringify(this.endpoints) + '\n');
    await rename(`${file}.tmp`, file);
    return this.endpoints;
  }

  /** The operations the API serves, for the generated API table. */
  operations() {
    return this.api.router.list();
  }

  /** Stops taking work, finishes what was accepted, then closes the store. */
  async stop(): Promise<void> {
    this.cloudMetrics.stop();
    this.maintenance.stop();
    this.audit.stop();
    await this.api.close();
    await this.mitigation.stop();
    await this.broker.close();
    await this.alerts.drain();
    await this.writer.close();
    this.db.close();
    this.options.logger.info('warden stopped');
  }

  private routes() {
    const validatePolicy = (document: string) => {
      const result = validatePolicyDocument(document);
      if (result.document === undefined) throw malformedPolicyError(result.problems);
    };
    const profiles = new SecurityProfiles(
      this.detect,
      this.registry,
      this.evaluator,
      this.options.logger.child({ component: 'detect' }),
    );
    return [
      ...serviceRoutes(this.intake),
      ...thingRoutes(this.registry),
      ...thingGroupRoutes(this.registry),
      ...certificateRoutes(this.registry),
      ...policyRoutes(this.registry, validatePolicy),
      ...principalRoutes(this.registry),
      ...roleAliasRoutes(this.registry),
      ...iamRoutes(this.registry),
      ...crlRoutes(this.registry),
      ...profileRoutes(this.detect, profiles, this.registry),
      ...metricRoutes(this.detect, this.registry),
      ...violationRoutes(this.detect),
      ...metricValueRoutes(this.detect, this.evaluator),
      ...alertTargetRoutes({
        store: new SqliteAlertTargetStore(this.db),
        alerts: this.alerts,
        clock: this.clock,
      }),
      ...this.audit.routes(),
      ...this.mitigation.routes(),
      ...notImplementedRoutes(),
    ];
  }

  private async handleMqttReport(_session: Session, topic: string, payload: Buffer): Promise<void> {
    const parsed = parseReportTopic(topic);
    if (!parsed) return;
    const answer = await this.intake.submit(parsed.thingName, payload, parsed.format);
    const outcome = answer.status === 'ACCEPTED' ? 'accepted' : 'rejected';
    await this.broker.publish(
      buildAnswerTopic(parsed.thingName, parsed.format, outcome),
      encodeAnswer(answer, parsed.format),
      1,
    );
  }
}
