import { randomUUID } from 'node:crypto';
import type { AuditTask, StoredFinding } from '../../audit/audit-records.ts';
import { FakeClock } from '../../core/clock.ts';
import { WardenError } from '../../core/errors.ts';
import { silentLogger } from '../../core/logger.ts';
import type { Behavior } from '../../detect/behavior.ts';
import type {
  SecurityProfile,
  StoredViolationEvent,
  Violation,
} from '../../detect/detect-records.ts';
import { DetectState } from '../../detect/detect-state.ts';
import { TestApi } from '../../registry/iam/test-api.ts';
import { RegistryState } from '../../registry/registry.ts';
import { addThingToThingGroup, createThingGroup } from '../../registry/thing-groups.ts';
import { createThing } from '../../registry/things.ts';
import { MIGRATIONS } from '../../service/migrations.ts';
import { BatchWriter } from '../../store/batch-writer.ts';
import { SqliteAuditStore } from '../../store/sqlite-audit-store.ts';
import { openSqlite } from '../../store/sqlite-database.ts';
import { SqliteDetectStore } from '../../store/sqlite-detect-store.ts';
import { SqliteMitigationStore } from '../../store/sqlite-mitigation-store.ts';
import { SqliteRegistryStore } from '../../store/sqlite-registry-store.ts';
import { MitigationActions } from '../api/mitigation-actions.ts';
import { mitigationRoutes } from '../api/mitigation-routes.ts';
import type { MitigationStore } from '../mitigation-store.ts';
import type { ExecutionRecord, MitigationTarget } from '../mitigation-types.ts';
import type { ExecuteInput, Mitigator } from '../mitigator.ts';
import { AuditMitigationTasks } from './audit-mitigation-tasks.ts';
import { DetectMitigationTasks } from './detect-mitigation-tasks.ts';

/**
 * Test helpers for mitigation tasks: a mitigator that really adds things to thing groups in a
 * registry, and a fixture of registry, audit, detect and mitigation stores over in-memory SQLite.
 */

export const TEST_ROLE = 'arn:aws:iam::123456789012:role/mitigation';
export const QUARANTINE = 'quarantine';

/** A pause at one execution: `reached` resolves when it starts, `release` lets it go on. */
export interface Gate {
  reached: Promise<void>;
  release: () => void;
}

/**
 * A Mitigator for tests. ADD_THINGS_TO_THING_GROUP adds the target things to the groups in the
 * registry; PUBLISH_FINDING_TO_SNS appends the subject to `published`. Other types fail, as does
 * every execution on a thing listed in `failingThings`. Each start and end is logged in `events`.
 */
export class RecordingMitigator implements Mitigator {
  readonly events: string[] = [];
  readonly published: Record<string, unknown>[] = [];
  readonly failingThings = new Set<string>();
  private started = 0;
  private readonly pauses = new Map<number, { reach: () => void; open: Promise<void> }>();

  constructor(
    private readonly registry: RegistryState,
    private readonly store: MitigationStore,
    private readonly clock: FakeClock,
  ) {}

  /** How many executions have started so far. */
  get startedCount(): number {
    return this.started;
  }

  /** Pauses the `count`-th execution (1-based) after it has started. */
  pauseAt(count: number): Gate {
    let reach = () => {};
    let release = () => {};
    const reached = new Promise<void>((resolve) => (reach = resolve));
    const open = new Promise<void>((resolve) => (release = resolve));
    this.pauses.set(count, { reach, open });
    return { reached, release };
  }

  async execute(input: ExecuteInput): Promise<ExecutionRecord> {
    this.started += 1;
    const label = `${unitOf(input)} ${input.action.actionName}`;
    this.events.push(`start ${label}`);
    const pause = this.pauses.get(this.started);
    if (pause) {
      pause.reach();
      await pause.open;
    }

    const startTime = this.clock.now();
    this.clock.advance(1000);
    const record: ExecutionRecord = {
      executionId: randomUUID(),
      source: input.source,
      actionName: input.action.actionName,
      actionId: input.action.actionId,
      actionType: input.action.actionType,
      target: input.target,
      status: 'COMPLETED',
      dryRun: false,
      startTime,
      endTime: this.clock.now(),
    };
    if (input.taskId !== undefined) record.taskId = input.taskId;
    try {
      record.after = await this.apply(input);
    } catch (error) {
      record.status = 'FAILED';
      record.errorCode = error instanceof WardenError ? error.code : 'InternalFailureException';
      record.message = (error as Error).message;
    }
    await this.store.putExecution(record);
    this.events.push(`end ${label}`);
    return record;
  }

  async rollback(executionId: string): Promise<ExecutionRecord> {
    throw new WardenError('InvalidRequestException', `Rollback of "${executionId}" is not tested`);
  }

  private async apply(input: ExecuteInput): Promise<unknown> {
    const failing = input.target.thingNames.find((thing) => this.failingThings.has(thing));
    if (failing !== undefined)
      throw new WardenError(
        'InvalidRequestException',
        `Mitigation failed on thing "${failing}": the test marked it failing`,
      );
    const params = input.action.actionParams;
    if (params.addThingsToThingGroupParams) {
      for (const group of params.addThingsToThingGroupParams.thingGroupNames)
        for (const thing of input.target.thingNames)
          await addThingToThingGroup(this.registry, group, thing);
      return { thingNames: input.target.thingNames };
    }
    if (params.publishFindingToSnsParams) {
      this.published.push(input.target.subject);
      return { published: true };
    }
    throw new WardenError(
      'InvalidRequestException',
      `The test mitigator does not apply ${input.action.actionType}`,
    );
  }
}

function unitOf(input: ExecuteInput): string {
  const source = input.source;
  if (source.kind === 'audit-finding') return source.findingId;
  if (source.kind === 'violation') return source.violationId;
  return 'manual';
}

/** Stores and services of mitigation over one in-memory database, with a fake clock. */
export interface MitigationFixture {
  clock: FakeClock;
  registry: RegistryState;
  auditStore: SqliteAuditStore;
  detect: DetectState;
  store: SqliteMitigationStore;
  actions: MitigationActions;
  mitigator: RecordingMitigator;
  auditTasks: AuditMitigationTasks;
  detectTasks: DetectMitigationTasks;
  /** The thing of each seeded device certificate, which the finding resolver reads. */
  thingOfCertificate: Map<string, string>;
}

export interface FixtureOptions {
  maxRunningAudit?: number;
  maxRunningDetect?: number;
}

/** Builds the fixture with an empty thing group named `quarantine`. */
export async function createMitigationFixture(
  options: FixtureOptions = {},
): Promise<MitigationFixture> {
  const clock = new FakeClock();
  const db = openSqlite(':memory:', MIGRATIONS);
  const account = { region: 'us-east-1', accountId: '123456789012' };
  const registry = new RegistryState(new SqliteRegistryStore(db), clock, account);
  await registry.load();
  await createThingGroup(registry, { thingGroupName: QUARANTINE });
  const detect = new DetectState(new SqliteDetectStore(db, new BatchWriter(db)));
  await detect.load();

  const store = new SqliteMitigationStore(db);
  const actions = new MitigationActions(store, clock, account);
  const mitigator = new RecordingMitigator(registry, store, clock);
  const thingOfCertificate = new Map<string, string>();
  const common = { store, actions, mitigator, clock, logger: silentLogger() };
  const auditStore = new SqliteAuditStore(db);
  const auditTasks = new AuditMitigationTasks({
    ...common,
    audit: auditStore,
    resolveTarget: (finding) => findingTarget(finding, thingOfCertificate),
    ...(options.maxRunningAudit === undefined ? {} : { maxRunning: options.maxRunningAudit }),
  });
  const detectTasks = new DetectMitigationTasks({
    ...common,
    detect,
    resolveTarget: violationTarget,
    ...(options.maxRunningDetect === undefined ? {} : { maxRunning: options.maxRunningDetect }),
  });
  return {
    clock,
    registry,
    auditStore,
    detect,
    store,
    actions,
    mitigator,
    auditTasks,
    detectTasks,
    thingOfCertificate,
  };
}

function emptyTarget(subject: Record<string, unknown>): MitigationTarget {
  return {
    certificateIds: [],
    caCertificateIds: [],
    thingNames: [],
    clientIds: [],
    policyNames: [],
    sourceIps: [],
    subject,
  };
}

function findingTarget(finding: StoredFinding, things: Map<string, string>): MitigationTarget {
  const certificateId = finding.nonCompliantResource.resourceIdentifier.deviceCertificateId;
  if (certificateId === undefined)
    throw new WardenError(
      'InvalidRequestException',
      `Finding "${finding.findingId}" names no device certificate`,
    );
  const thing = things.get(certificateId);
  return {
    ...emptyTarget({ findingId: finding.findingId, checkName: finding.checkName }),
    certificateIds: [certificateId],
    thingNames: thing === undefined ? [] : [thing],
  };
}

function violationTarget(violation: Violation): MitigationTarget {
  return {
    ...emptyTarget({ violationId: violation.violationId, thingName: violation.thingName }),
    thingNames: [violation.thingName],
  };
}

/** Creates an ADD_THINGS_TO_THING_GROUP action that moves things into `quarantine`. */
export function createQuarantineAction(fixture: MitigationFixture, actionName = 'quarantine') {
  return fixture.actions.create({
    actionName,
    roleArn: TEST_ROLE,
    actionParams: { addThingsToThingGroupParams: { thingGroupNames: [QUARANTINE] } },
  });
}

/** Creates a PUBLISH_FINDING_TO_SNS action. */
export function createNotifyAction(fixture: MitigationFixture, actionName = 'notify') {
  return fixture.actions.create({
    actionName,
    roleArn: TEST_ROLE,
    actionParams: {
      publishFindingToSnsParams: { topicArn: 'arn:aws:sns:us-east-1:123456789012:findings' },
    },
  });
}

export interface SeedAuditOptions {
  checkName?: string;
  isSuppressed?: (index: number) => boolean;
  reasonCode?: (index: number) => string;
}

/**
 * Stores one completed audit with `count` device-certificate findings, each certificate the
 * principal of its own new thing `device-NNNN`. Returns the audit's ID and its findings.
 */
export async function seedAudit(
  fixture: MitigationFixture,
  count: number,
  options: SeedAuditOptions = {},
): Promise<{ auditTaskId: string; findings: StoredFinding[] }> {
  const checkName = options.checkName ?? 'DEVICE_CERTIFICATE_EXPIRING_CHECK';
  const now = fixture.clock.now();
  const auditTaskId = randomUUID().replaceAll('-', '');
  const task: AuditTask = {
    taskId: auditTaskId,
    taskType: 'ON_DEMAND_AUDIT_TASK',
    taskStatus: 'COMPLETED',
    startTime: now,
    endTime: now,
    checks: { [checkName]: { checkRunStatus: 'COMPLETED_NON_COMPLIANT' } },
  };

  const findings: StoredFinding[] = [];
  for (let index = 0; index < count; index++) {
    const thingName = `device-${auditTaskId.slice(0, 6)}-${String(index).padStart(4, '0')}`;
    const certificateId = `${auditTaskId}${index.toString(16).padStart(32, '0')}`;
    await createThing(fixture.registry, { thingName });
    fixture.thingOfCertificate.set(certificateId, thingName);
    findings.push({
      findingId: `${auditTaskId.slice(0, 8)}-${String(index).padStart(4, '0')}`,
      taskId: auditTaskId,
      checkName,
      taskStartTime: now,
      findingTime: now - index,
      severity: 'MEDIUM',
      nonCompliantResource: {
        resourceType: 'DEVICE_CERTIFICATE',
        resourceIdentifier: { deviceCertificateId: certificateId },
      },
      relatedResources: [],
      reasonForNonCompliance: 'Certificate is expiring',
      reasonForNonComplianceCode:
        options.reasonCode?.(index) ?? 'CERTIFICATE_APPROACHING_EXPIRATION',
      isSuppressed: options.isSuppressed?.(index) ?? false,
    });
  }
  await fixture.auditStore.putFindings(task, findings);
  return { auditTaskId, findings };
}

/** Builds a static behavior on listening TCP ports, optionally with alerts suppressed. */
export function portsBehavior(name: string, suppressAlerts = false): Behavior {
  const behavior: Behavior = {
    name,
    metric: 'aws:num-listening-tcp-ports',
    criteria: { comparisonOperator: 'less-than-equals', value: { count: 5 } },
  };
  if (suppressAlerts) behavior.suppressAlerts = true;
  return behavior;
}

/** Stores a security profile in the store and in the in-memory detect state. */
export async function seedProfile(
  fixture: MitigationFixture,
  securityProfileName: string,
  behaviors: Behavior[],
): Promise<SecurityProfile> {
  const now = fixture.clock.now();
  const profile: SecurityProfile = {
    securityProfileName,
    behaviors,
    alertTargets: {},
    additionalMetricsToRetainV2: [],
    tags: [],
    version: 1,
    createdAt: now,
    lastModifiedAt: now,
  };
  await fixture.detect.store.putProfile(profile);
  fixture.detect.profiles.set(securityProfileName, profile);
  return profile;
}

export interface SeedViolationInput {
  thingName: string;
  profile: SecurityProfile;
  behaviorName: string;
  startTime: number;
  /** Set for a violation that was cleared at this time. */
  endedAt?: number;
}

/**
 * Stores a violation with its events, creating its thing when missing. An active violation is
 * also put in the detect state's active map, as the evaluator does.
 */
export async function seedViolation(
  fixture: MitigationFixture,
  input: SeedViolationInput,
): Promise<Violation> {
  if (!fixture.registry.get('thing', input.thingName))
    await createThing(fixture.registry, { thingName: input.thingName });
  const behavior = input.profile.behaviors.find((item) => item.name === input.behaviorName);
  if (!behavior) throw new Error(`Profile has no behavior "${input.behaviorName}"`);
  const violation: Violation = {
    violationId: randomUUID().replaceAll('-', ''),
    thingName: input.thingName,
    securityProfileName: input.profile.securityProfileName,
    behavior,
    startTime: input.startTime,
    lastViolationTime: input.startTime,
    lastViolationValue: { count: 9 },
    verificationState: 'UNKNOWN',
  };
  const common = {
    violationId: violation.violationId,
    thingName: input.thingName,
    securityProfileName: input.profile.securityProfileName,
    behavior,
  };
  const events: StoredViolationEvent[] = [
    { ...common, metricValue: { count: 9 }, type: 'in-alarm', time: input.startTime },
  ];
  if (input.endedAt !== undefined) {
    violation.endedAt = input.endedAt;
    violation.endType = 'alarm-cleared';
    events.push({
      ...common,
      metricValue: { count: 1 },
      type: 'alarm-cleared',
      time: input.endedAt,
    });
  }
  await fixture.detect.store.putEvaluation({
    alarms: [],
    deletedAlarms: [],
    violations: [violation],
    events,
  });
  if (input.endedAt === undefined)
    fixture.detect.activeViolations.set(violation.violationId, violation);
  return violation;
}

/**
 * Serves the fifteen mitigation operations of the fixture on 127.0.0.1, for the SDK contract
 * suites until the Warden service serves them.
 */
export function startMitigationApi(fixture: MitigationFixture): Promise<TestApi> {
  return TestApi.start(
    mitigationRoutes({
      actions: fixture.actions,
      auditTasks: fixture.auditTasks,
      detectTasks: fixture.detectTasks,
    }),
  );
}
