import type {
  DetectSnapshot,
  DetectStore,
  EvaluationWrite,
  EventQuery,
  RetentionCutoffs,
} from '../detect/detect-store.ts';
import type {
  AlarmRecord,
  CloudDatapoint,
  CustomMetric,
  Dimension,
  ReportState,
  SecurityProfile,
  StoredReport,
  StoredViolationEvent,
  Violation,
} from '../detect/detect-records.ts';
import type { GroupWriter, WriteStatement } from './batch-writer.ts';
import type { SqliteHandle } from './sqlite-database.ts';

/** Detect's records in SQLite. Hot writes (reports, evaluations) go through group commit. */
export class SqliteDetectStore implements DetectStore {
  constructor(
    private readonly db: SqliteHandle,
    private readonly writer: GroupWriter,
  ) {}

  async load(): Promise<DetectSnapshot> {
    const json = <T>(sql: string) =>
      (this.db.prepare(sql).all() as { data: string }[]).map((row) => JSON.parse(row.data) as T);
    const targets = this.db.prepare('SELECT profile, target_arn FROM profile_targets').all() as {
      profile: string;
      target_arn: string;
    }[];
    const states = this.db
      .prepare('SELECT thing_name, last_report_id, last_report_at FROM report_states')
      .all() as { thing_name: string; last_report_id: number; last_report_at: number }[];
    return {
      profiles: json<SecurityProfile>('SELECT data FROM security_profiles'),
      targets: targets.map((row) => ({
        securityProfileName: row.profile,
        targetArn: row.target_arn,
      })),
      customMetrics: json<CustomMetric>('SELECT data FROM custom_metrics'),
      dimensions: json<Dimension>('SELECT data FROM dimensions'),
      activeViolations: json<Violation>('SELECT data FROM violations WHERE active = 1'),
      alarms: json<AlarmRecord>('SELECT data FROM alarm_states'),
      reportStates: states.map((row) => ({
        thingName: row.thing_name,
        lastReportId: row.last_report_id,
        lastReportAt: row.last_report_at,
      })),
    };
  }

  putProfile(profile: SecurityProfile): Promise<void> {
    return this.writer.write([
      [SQL.putProfile, [profile.securityProfileName, JSON.stringify(profile)]],
    ]);
  }

  deleteProfile(name: string): Promise<void> {
    return this.writer.write([
      [SQL.deleteProfile, [name]],
      [SQL.deleteProfileTargets, [name]],
    ]);
  }

  putTarget(profile: string, targetArn: string): Promise<void> {
    return this.writer.write([[SQL.putTarget, [profile, targetArn]]]);
  }

  deleteTarget(profile: string, targetArn: string): Promise<void> {
    return this.writer.write([[SQL.deleteTarget, [profile, targetArn]]]);
  }

  putCustomMetric(metric: CustomMetric): Promise<void> {
    return this.writer.write([[SQL.putCustomMetric, [metric.metricName, JSON.stringify(metric)]]]);
  }

  deleteCustomMetric(name: string): Promise<void> {
    return this.writer.write([[SQL.deleteCustomMetric, [name]]]);
  }

  putDimension(dimension: Dimension): Promise<void> {
    return this.writer.write([[SQL.putDimension, [dimension.name, JSON.stringify(dimension)]]]);
  }

  deleteDimension(name: string): Promise<void> {
    return this.writer.write([[SQL.deleteDimension, [name]]]);
  }

  putReport(report: StoredReport, state: ReportState): Promise<void> {
    return this.writer.write([
      [
        SQL.putReport,
        [report.thingName, report.reportId, report.time, JSON.stringify(report.datapoints)],
      ],
      [SQL.putReportState, [state.thingName, state.lastReportId, state.lastReportAt]],
    ]);
  }

  putCloudDatapoints(datapoints: CloudDatapoint[]): Promise<void> {
    return this.writer.write(
      datapoints.map((point) => {
        const dimension = point.dimension
          ? `${point.dimension.name}:${point.dimension.operator}`
          : '';
        return [
          SQL.putCloud,
          [point.thingName, point.metric, dimension, point.time, JSON.stringify(point.value)],
        ];
      }),
    );
  }

  putEvaluation(outcome: EvaluationWrite): Promise<void> {
    const statements: WriteStatement[] = [];
    for (const alarm of outcome.alarms) {
      statements.push([
        SQL.putAlarm,
        [alarm.thingName, alarm.securityProfileName, alarm.behaviorName, JSON.stringify(alarm)],
      ]);
    }
    for (const key of outcome.deletedAlarms) {
      statements.push([
        SQL.deleteAlarm,
        [key.thingName, key.securityProfileName, key.behaviorName],
      ]);
    }
    for (const violation of outcome.violations) {
      statements.push([
        SQL.putViolation,
        [violation.violationId, violation.endedAt === undefined ? 1 : 0, JSON.stringify(violation)],
      ]);
    }
    for (const event of outcome.events) {
      statements.push([
        SQL.putEvent,
        [
          event.violationId,
          event.time,
          event.thingName,
          event.securityProfileName,
          JSON.stringify(event),
        ],
      ]);
    }
    return this.writer.write(statements);
  }

  async queryReports(
    thingName: string,
    startTime: number,
    endTime: number,
  ): Promise<StoredReport[]> {
    await this.writer.flush();
    const rows = this.db
      .prepare(
        'SELECT report_id, time, datapoints FROM device_reports WHERE thing_name = ? AND time >= ? AND time < ? ORDER BY time',
      )
      .all(thingName, startTime, endTime) as {
      report_id: number;
      time: number;
      datapoints: string;
    }[];
    return rows.map((row) => ({
      thingName,
      reportId: row.report_id,
      time: row.time,
      datapoints: JSON.parse(row.datapoints) as StoredReport['datapoints'],
    }));
  }

  async queryCloudDatapoints(
    thingName: string,
    metric: string,
    startTime: number,
    endTime: number,
    dimension = '',
  ): Promise<CloudDatapoint[]> {
    await this.writer.flush();
    const rows = this.db
      .prepare(
        'SELECT time, value FROM cloud_datapoints WHERE thing_name = ? AND metric = ? AND dimension = ? AND time >= ? AND time < ? ORDER BY time',
      )
      .all(thingName, metric, dimension, startTime, endTime) as { time: number; value: string }[];
    return rows.map((row) => ({
      thingName,
      metric,
      time: row.time,
      value: JSON.parse(row.value) as CloudDatapoint['value'],
    }));
  }

  async queryEvents(query: EventQuery): Promise<StoredViolationEvent[]> {
    await this.writer.flush();
    const where = ['time >= ?', 'time < ?'];
    const values: unknown[] = [query.startTime, query.endTime];
    if (query.thingName !== undefined) {
      where.push('thing_name = ?');
      values.push(query.thingName);
    }
    if (query.securityProfileName !== undefined) {
      where.push('profile = ?');
      values.push(query.securityProfileName);
    }
    const rows = this.db
      .prepare(`SELECT data FROM violation_events WHERE ${where.join(' AND ')} ORDER BY time, id`)
      .all(...values) as { data: string }[];
    return rows.map((row) => JSON.parse(row.data) as StoredViolationEvent);
  }

  async prune(before: RetentionCutoffs): Promise<number> {
    await this.writer.flush();
    const deleted = this.db.transaction(() => {
      let rows = this.db.prepare(SQL.pruneReports).run(before.reports).changes;
      rows += this.db.prepare(SQL.pruneCloud).run(before.cloudDatapoints).changes;
      rows += this.db.prepare(SQL.pruneEvents).run(before.violations).changes;
      rows += this.db.prepare(SQL.pruneViolations).run(before.violations).changes;
      return rows;
    })();
    return deleted;
  }

  async getViolation(violationId: string): Promise<Violation | undefined> {
    await this.writer.flush();
    const row = this.db.prepare('SELECT data FROM violations WHERE id = ?').get(violationId) as
      { data: string } | undefined;
    return row ? (JSON.parse(row.data) as Violation) : undefined;
  }
}

/** The statements of the store's writes, sent to the group-commit writer as SQL text. */
const upsert = (table: string, key: string) =>
  `INSERT INTO ${table} (${key}, data) VALUES (?, ?) ON CONFLICT (${key}) DO UPDATE SET data = excluded.data`;

const SQL = {
  putProfile: upsert('security_profiles', 'name'),
  deleteProfile: 'DELETE FROM security_profiles WHERE name = ?',
  deleteProfileTargets: 'DELETE FROM profile_targets WHERE profile = ?',
  putTarget: 'INSERT OR IGNORE INTO profile_targets (profile, target_arn) VALUES (?, ?)',
  deleteTarget: 'DELETE FROM profile_targets WHERE profile = ? AND target_arn = ?',
  putCustomMetric: upsert('custom_metrics', 'name'),
  deleteCustomMetric: 'DELETE FROM custom_metrics WHERE name = ?',
  putDimension: upsert('dimensions', 'name'),
  deleteDimension: 'DELETE FROM dimensions WHERE name = ?',
  putReport:
    'INSERT INTO device_reports (thing_name, report_id, time, datapoints) VALUES (?, ?, ?, ?)',
  putReportState:
    'INSERT INTO report_states (thing_name, last_report_id, last_report_at) VALUES (?, ?, ?) ON CONFLICT (thing_name) DO UPDATE SET last_report_id = excluded.last_report_id, last_report_at = excluded.last_report_at',
  putCloud:
    'INSERT INTO cloud_datapoints (thing_name, metric, dimension, time, value) VALUES (?, ?, ?, ?, ?)',
  putAlarm:
    'INSERT INTO alarm_states (thing_name, profile, behavior, data) VALUES (?, ?, ?, ?) ON CONFLICT (thing_name, profile, behavior) DO UPDATE SET data = excluded.data',
  deleteAlarm: 'DELETE FROM alarm_states WHERE thing_name = ? AND profile = ? AND behavior = ?',
  putViolation:
    'INSERT INTO violations (id, active, data) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET active = excluded.active, data = excluded.data',
  pruneReports: 'DELETE FROM device_reports WHERE time < ?',
  pruneCloud: 'DELETE FROM cloud_datapoints WHERE time < ?',
  pruneEvents: 'DELETE FROM violation_events WHERE time < ?',
  pruneViolations:
    "DELETE FROM violations WHERE active = 0 AND json_extract(data, '$.endedAt') < ?",
  putEvent:
    'INSERT INTO violation_events (violation_id, time, thing_name, profile, data) VALUES (?, ?, ?, ?, ?)',
} as const;

export const DETECT_MIGRATION = {
  version: 3,
  name: 'detect',
  sql: `
    CREATE TABLE security_profiles (name TEXT PRIMARY KEY, data TEXT NOT NULL);
    CREATE TABLE profile_targets (profile TEXT NOT NULL, target_arn TEXT NOT NULL, PRIMARY KEY (profile, target_arn));
    CREATE TABLE custom_metrics (name TEXT PRIMARY KEY, data TEXT NOT NULL);
    CREATE TABLE dimensions (name TEXT PRIMARY KEY, data TEXT NOT NULL);
    CREATE TABLE device_reports (id INTEGER PRIMARY KEY AUTOINCREMENT, thing_name TEXT NOT NULL, report_id INTEGER NOT NULL, time INTEGER NOT NULL, datapoints TEXT NOT NULL);
    CREATE INDEX device_reports_thing_time ON device_reports (thing_name, time);
    CREATE TABLE report_states (thing_name TEXT PRIMARY KEY, last_report_id INTEGER NOT NULL, last_report_at INTEGER NOT NULL);
    CREATE TABLE cloud_datapoints (id INTEGER PRIMARY KEY AUTOINCREMENT, thing_name TEXT NOT NULL, metric TEXT NOT NULL, dimension TEXT NOT NULL, time INTEGER NOT NULL, value TEXT NOT NULL);
    CREATE INDEX cloud_datapoints_thing ON cloud_datapoints (thing_name, metric, dimension, time);
    CREATE TABLE alarm_states (thing_name TEXT NOT NULL, profile TEXT NOT NULL, behavior TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (thing_name, profile, behavior));
    CREATE TABLE violations (id TEXT PRIMARY KEY, active INTEGER NOT NULL, data TEXT NOT NULL);
    CREATE INDEX violations_active ON violations (active);
    CREATE TABLE violation_events (id INTEGER PRIMARY KEY AUTOINCREMENT, violation_id TEXT NOT NULL, time INTEGER NOT NULL, thing_name TEXT NOT NULL, profile TEXT NOT NULL, data TEXT NOT NULL);
    CREATE INDEX violation_events_time ON violation_events (time);
  `,
};
