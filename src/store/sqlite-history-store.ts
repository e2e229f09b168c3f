import type {
  ConnectionEvent,
  ConnectionHistoryStore,
  HistoryQuery,
} from '../history/connection-event.ts';
import type { GroupWriter } from './batch-writer.ts';
import type { SqliteHandle } from './sqlite-database.ts';

interface Row {
  time: number;
  type: ConnectionEvent['type'];
  client_id: string;
  certificate_id: string | null;
  thing_name: string | null;
  source_ip: string;
  source_port: number;
  reason: string | null;
  action: string | null;
  resource: string | null;
}

/** The connection history in SQLite, written through the shared group-commit writer. */
export class SqliteHistoryStore implements ConnectionHistoryStore {
  constructor(
    private readonly db: SqliteHandle,
    private readonly writer: GroupWriter,
  ) {}

  append(event: ConnectionEvent): Promise<void> {
    const params = [
      event.time,
      event.type,
      event.clientId,
      event.certificateId ?? null,
      event.thingName ?? null,
      event.sourceIp,
      event.sourcePort,
      event.reason ?? null,
      event.action ?? null,
      event.resource ?? null,
    ];
    return this.writer.write([[INSERT_EVENT, params]]);
  }

  async prune(before: number): Promise<number> {
    await this.writer.flush();
    return this.db.prepare('DELETE FROM connection_events WHERE time < ?').run(before).changes;
  }

  async query(query: HistoryQuery): Promise<ConnectionEvent[]> {
    // Read your own writes: events queued before the query are committed first.
    await this.writer.flush();
    const where: string[] = ['time >= ?'];
    const values: unknown[] = [query.since];
    if (query.until !== undefined) {
      where.push('time < ?');
      values.push(query.until);
    }
    if (query.types && query.types.length > 0) {
      where.push(`type IN (${query.types.map(() => '?').join(', ')})`);
      values.push(...query.types);
    }
    for (const [column, value] of [
      ['client_id', query.clientId],
      ['certificate_id', query.certificateId],
      ['thing_name', query.thingName],
    ] as const) {
      if (value === undefined) continue;
      where.push(`${column} = ?`);
      values.push(value);
    }
    const sql = `SELECT * FROM connection_events WHERE ${where.join(' AND ')} ORDER BY time, id LIMIT ?`;
    const rows = this.db.prepare(sql).all(...values, query.limit ?? 100000) as Row[];
    return rows.map(toEvent);
  }
}

function toEvent(row: Row): ConnectionEvent {
  return {
    time: row.time,
    type: row.type,
    clientId: row.client_id,
    certificateId: row.certificate_id ?? undefined,
    thingName: row.thing_name ?? undefined,
    sourceIp: row.source_ip,
    sourcePort: row.source_port,
    reason: row.reason ?? undefined,
    action: row.action ?? undefined,
    resource: row.resource ?? undefined,
  };
}

const INSERT_EVENT =
  'INSERT INTO connection_events (time, type, client_id, certificate_id, thing_name, source_ip, source_port, reason, action, resource) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

export const HISTORY_MIGRATION = {
  version: 2,
  name: 'connection history',
  sql: `
    CREATE TABLE connection_events (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      time INTEGER NOT NULL,
      type TEXT NOT NULL,
      client_id TEXT NOT NULL,
      certificate_id TEXT,
      thing_name TEXT,
      source_ip TEXT NOT NULL,
      source_port INTEGER NOT NULL,
      reason TEXT,
      action TEXT,
      resource TEXT
    );
    CREATE INDEX connection_events_time ON connection_events (time);
  `,
};
