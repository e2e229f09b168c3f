// Commits batches of writes to the SQLite file in a worker thread, so that the fsync of each
// commit (synchronous=FULL) does not block the service's event loop. Plain JavaScript, because
// worker threads do not inherit the TypeScript loader the CLI registers.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
const statements = new Map();

function prepared(sql) {
  let statement = statements.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}

function runItem(item) {
  for (const [sql, params] of item) prepared(sql).run(...params);
}

// One transaction for the whole batch; when it fails, each item is retried alone so that one
// bad write fails only its own caller.
function commit(items) {
  try {
    db.transaction(() => items.forEach(runItem))();
    return items.map(() => null);
  } catch {
    return items.map((item) => {
      try {
        db.transaction(() => runItem(item))();
        return null;
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    });
  }
}

parentPort.on('message', (message) => {
  if (message.type === 'close') {
    db.close();
    parentPort.postMessage({ type: 'closed' });
    parentPort.close();
    return;
  }
  parentPort.postMessage({ type: 'done', id: message.id, errors: commit(message.items) });
});
