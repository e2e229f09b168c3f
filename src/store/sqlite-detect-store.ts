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
import type { BatchWriter } from './batch-writer.ts';
import type { SqliteHandle } from './sqlite-database.ts';

/** Detect's records in SQLite. Hot writes (reports, evaluations) go through group commit. */
export class SqliteDetectStore implements DetectStore {
  private readonly s: ReturnType<typeof prepareStatements>;

  constructor(
    private readonly db: SqliteHandle,
    private readonly writer: BatchWriter,
  ) {
    this.s = prepareStatements(db);
  }

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
    return this.writer.write(() =>
      this.s.putProfile.run(profile.securityProfileName, JSON.stringify(profile)),
    );
  }

  deleteProfile(name: string): Promise<void> {
    return this.writer.write(() => {
      this.s.deleteProfile.run(name);
      this.s.deleteProfileTargets.run(name);
    });
  }

  putTarget(profile: string, targetArn: string): Promise<void> {
    return this.writer.write(() => this.s.putTarget.run(profile, targetArn));
  }

  deleteTarget(profile: string, targetArn: string): Promise<void> {
    return this.writer.write(() => this.s.deleteTarget.run(profile, targetArn));
  }

  putCustomMetric(metric: CustomMetric): Promise<void> {
    return this.writer.write(() =>
      this.s.putCustomMetric.run(metric.metricName, JSON.stringify(metric)),
    );
  }

  deleteCustomMetric(name: string): Promise<void> {
    return this.writer.write(() => this.s.deleteCustomMetric.run(name));
  }

  putDimension(dimension: Dimension): Promise<void> {
    return this.writer.write(() =>
      this.s.putDimension.run(dimension.name, JSON.stringify(dimension)),
    );
  }

  deleteDimension(name: string): Promise<void> {
    return this.writer.write(() => this.s.deleteDimension.run(name));
  }

  putReport(report: StoredReport, state: ReportState): Promise<void> {
    return this.writer.write(() => {
      this.s.putReport.run(
        report.thingName,
        report.reportId,
        report.time,
        JSON.stringify(report.datapoints),
      );
      this.s.putReportState.run(state.thingName, state.lastReportId, state.lastReportAt);
    });
  }

  putCloudDatapoints(datapoints: CloudDatapoint[]): Promise<void> {
    return this.writer.write(() => {
      for (const point of datapoints) {
        const dimension = point.dimension
          ? `${point.dimension.name}:${point.dimension.operator}`
          : '';
        this.s.putCloud.run(
          point.thingName,
          point.metric,
          dimension,
          point.time,
          JSON.stringify(point.value),
        );
      }
    });
  }

  putEvaluation(outcome: EvaluationWrite): Promise<void> {
    return this.writer.write(() => {
      for (const alarm of outcome.alarms)
        this.s.putAlarm.run(
          alarm.thingName,
          alarm.securityProfileName,
          alarm.behaviorName,
          JSON.stringify(alarm),
        );
      for (const key of outcome.deletedAlarms)
        this.s.deleteAlarm.run(key.thingName, key.securityProfileName, key.behaviorName);
      for (const violation of outcome.violations)
        this.s.putViolation.run(
          violation.violationId,
          violation.endedAt === undefined ? 1 : 0,
          JSON.stringify(violation),
        );
      for (const event of outcome.events)
        this.s.putEvent.run(
          event.violationId,
          event.time,
          event.thingName,
          event.securityProfileName,
          JSON.stringify(event),
        );
    });
  }

  async queryReports(
    thingName: string,
    startTime: number,
    endTime: number,
  ): Promise<StoredReport[]> {
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
    const deleted = this.db.transaction(() => {
      let rows = this.s.pruneReports.run(before.reports).changes;
      rows += this.s.pruneCloud.run(before.cloudDatapoints).changes;
      rows += this.s.pruneEvents.run(before.violations).changes;
      rows += this.s.pruneViolations.run(before.violations).changes;
      return rows;
    })();
    return deleted;
  }

  async getViolation(violationId: string): Promise<Violation | undefined> {
    const row = this.db.prepare('SELECT data FROM violations WHERE id = ?').get(violationId) as
      { data: string } | undefined;
    return row ? (JSON.parse(row.data) as Violation) : undefined;
  }
}

function prepareStatements(db: SqliteHandle) {
  const upsert = (table: string, key: string) =>
    db.prepare(
      `INSERT INTO ${table} (${key}, data) VALUES (?, ?) ON CONFLICT (${key}) DO UPDATE SET data = excluded.data`,
    );
  return {
    putProfile: upsert('security_profiles', 'name'),
    deleteProfile: db.prepare('DELETE FROM security_profiles WHERE name = ?'),
    deleteProfileTargets: db.prepare('DELETE FROM profile_targets WHERE profile = ?'),
    putTarget: db.prepare(
      'INSERT OR IGNORE INTO profile_targets (profile, target_arn) VALUES (?, ?)',
    ),
    deleteTarget: db.prepare('DELETE FROM profile_targets WHERE profile = ? AND target_arn = ?'),
    putCustomMetric: upsert('custom_metrics', 'name'),
    deleteCustomMetric: db.prepare('DELETE FROM custom_metrics WHERE name = ?'),
    putDimension: upsert('dimensions', 'name'),
    deleteDimension: db.prepare('DELETE FROM dimensions WHERE name = ?'),
    putReport: db.prepare(
      'INSERT INTO device_reports (thing_name, report_id, time, datapoints) VALUES (?, ?, ?, ?)',
    ),
    putReportState: db.prepare(
      'INSERT INTO report_states (thing_name, last_report_id, last_report_at) VALUES (?, ?, ?) ON CONFLICT (thing_name) DO UPDATE SET last_report_id = excluded.last_report_id, last_report_at = excluded.last_report_at',
    ),
    putCloud: db.prepare(
      'INSERT INTO cloud_datapoints (thing_name, metric, dimension, time, value) VALUES (?, ?, ?, ?, ?)',
    ),
    putAlarm: db.prepare(
      'INSERT INTO alarm_states (thing_name, profile, behavior, data) VALUES (?, ?, ?, ?) ON CONFLICT (thing_name, profile, behavior) DO UPDATE SET data = excluded.data',
    ),
    deleteAlarm: db.prepare(
      'DELETE FROM alarm_states WHERE thing_name = ? AND profile = ? AND behavior = ?',
    ),
    putViolation: db.prepare(
      'INSERT INTO violations (id, active, data) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET active = excluded.active, data = excluded.data',
    ),
    pruneReports: db.prepare('DELETE FROM device_reports WHERE time < ?'),
    pruneCloud: db.prepare('DELETE FROM cloud_datapoints WHERE time < ?'),
    pruneEvents: db.prepare('DELETE FROM violation_events WHERE time < ?'),
    pruneViolations: db.prepare(
      "DELETE FROM violations WHERE active = 0 AND json_extract(data, '$.endedAt') < ?",
    ),
    putEvent: db.prepare(
      'INSERT INTO violation_events (violation_id, time, thing_name, profile, data) VALUES (?, ?, ?, ?, ?)',
    ),
  };
}

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
