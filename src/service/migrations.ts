import { ALERT_TARGETS_MIGRATION } from '../store/sqlite-alert-target-store.ts';
import { AUDIT_MIGRATION } from '../store/sqlite-audit-store.ts';
import type { Migration } from '../store/sqlite-database.ts';
import { MITIGATION_MIGRATION } from '../store/sqlite-mitigation-store.ts';
import { DETECT_MIGRATION } from '../store/sqlite-detect-store.ts';
import { HISTORY_MIGRATION } from '../store/sqlite-history-store.ts';
import { REGISTRY_MIGRATION } from '../store/sqlite-registry-store.ts';
import { KEYS_MIGRATION } from '../keys/key-store.ts';

/** Every schema step of the SQLite store, in version order. */
export const MIGRATIONS: Migration[] = [
  REGISTRY_MIGRATION,
  HISTORY_MIGRATION,
  DETECT_MIGRATION,
  AUDIT_MIGRATION,
  MITIGATION_MIGRATION,
  KEYS_MIGRATION,
  ALERT_TARGETS_MIGRATION,
];
