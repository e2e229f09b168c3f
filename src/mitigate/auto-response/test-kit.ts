/**
 * Real parts for mitigation tests: SQLite in memory with Warden's schema, the registry and the
 * mitigation and audit stores on it, and a RecordingMitigator that changes that registry.
 */

import { randomUUID } from 'node:crypto';
import { FakeClock } from '../../core/clock.ts';
import { RegistryState } from '../../registry/registry.ts';
import type { CertificateRecord } from '../../registry/types.ts';
import { MIGRATIONS } from '../../service/migrations.ts';
import { SqliteAuditStore } from '../../store/sqlite-audit-store.ts';
import { openSqlite, type SqliteHandle } from '../../store/sqlite-database.ts';
import { SqliteMitigationStore } from '../../store/sqlite-mitigation-store.ts';
import { SqliteRegistryStore } from '../../store/sqlite-registry-store.ts';
import type {
  MitigationAction,
  MitigationActionParams,
  MitigationActionType,
} from '../mitigation-types.ts';
import type { TargetResolvers } from './auto-responder.ts';
import { RecordingMitigator } from './recording-mitigator.ts';

export interface MitigationTestKit {
  db: SqliteHandle;
  clock: FakeClock;
  registry: RegistryState;
  store: SqliteMitigationStore;
  auditStore: SqliteAuditStore;
  mitigator: RecordingMitigator;
}

export async function createMitigationTestKit(clock = new FakeClock()): Promise<MitigationTestKit> {
  const db = openSqlite(':memory:', MIGRATIONS);
  const registry = new RegistryState(new SqliteRegistryStore(db), clock, {
    region: 'us-east-1',
    accountId: '123456789012',
  });
  await registry.load();
  const store = new SqliteMitigationStore(db);
  const mitigator = new RecordingMitigator(registry, store, clock);
  return { db, clock, registry, store, auditStore: new SqliteAuditStore(db), mitigator };
}

const PARAMS: Partial<Record<MitigationActionType, MitigationActionParams>> = {
  ADD_THINGS_TO_THING_GROUP: { addThingsToThingGroupParams: { thingGroupNames: ['quarantine'] } },
  UPDATE_DEVICE_CERTIFICATE: { updateDeviceCertificateParams: { action: 'DEACTIVATE' } },
  UPDATE_CA_CERTIFICATE: { updateCACertificateParams: { action: 'DEACTIVATE' } },
  PUBLISH_FINDING_TO_SNS: {
    publishFindingToSnsParams: { topicArn: 'arn:aws:sns:us-east-1:123456789012:findings' },
  },
};

/** Stores a mitigation action of the given type with typical parameters. */
export async function putTestAction(
  kit: MitigationTestKit,
  actionName: string,
  actionType: MitigationActionType,
): Promise<MitigationAction> {
  const action: MitigationAction = {
    actionName,
    actionId: randomUUID(),
    actionType,
    roleArn: 'arn:aws:iam::123456789012:role/mitigation',
    actionParams: PARAMS[actionType] ?? {},
    tags: [],
    createdAt: kit.clock.now(),
    lastModifiedAt: kit.clock.now(),
  };
  await kit.store.putAction(action);
  return action;
}

/** Adds a device certificate record, its id padded to the 64 characters of AWS ids. */
export async function putTestCertificate(
  kit: MitigationTestKit,
  shortId: string,
  status: CertificateRecord['status'] = 'ACTIVE',
): Promise<string> {
  const certificateId = shortId.padEnd(64, '0');
  const record: CertificateRecord = {
    certificateId,
    pem: '',
    status,
    mode: 'DEFAULT',
    createdAt: 0,
    lastModifiedAt: 0,
    customerVersion: 1,
    generationId: 'g',
    notBefore: 0,
    notAfter: 0,
  };
  await kit.registry.commit([{ type: 'put', kind: 'certificate', key: certificateId, record }]);
  return certificateId;
}

/**
 * Resolves a violation to its thing and a device certificate finding to its certificate, which
 * is all the RecordingMitigator acts on.
 */
export const testTargets: TargetResolvers = {
  violation: (event) => ({
    certificateIds: [],
    caCertificateIds: [],
    thingNames: [event.thingName],
    clientIds: [],
    policyNames: [],
    sourceIps: [],
    subject: { violationId: event.violationId, thingName: event.thingName },
  }),
  finding: (finding) => ({
    certificateIds: [finding.nonCompliantResource.resourceIdentifier.deviceCertificateId ?? ''],
    caCertificateIds: [],
    thingNames: [],
    clientIds: [],
    policyNames: [],
    sourceIps: [],
    subject: { findingId: finding.findingId, checkName: finding.checkName },
  }),
};
