import type { LinkKind, LoggingOptions, RecordKind, RegistryRecords } from './types.ts';

/** A link between two keys, e.g. (group name, thing name) for thing-group membership. */
export interface Link {
  kind: LinkKind;
  from: string;
  to: string;
}

/** One change to apply; a batch of them commits atomically. */
export type RegistryChange =
  | { type: 'put'; kind: RecordKind; key: string; record: RegistryRecords[RecordKind] }
  | { type: 'delete'; kind: RecordKind; key: string }
  | { type: 'link'; link: Link }
  | { type: 'unlink'; link: Link }
  | { type: 'logging'; options: LoggingOptions };

/** Everything the registry holds, as loaded at start. */
export interface RegistrySnapshot {
  records: { [K in RecordKind]: Map<string, RegistryRecords[K]> };
  links: Link[];
  logging?: LoggingOptions;
}

/**
 * Durable storage of the registry. Writes are batches that commit atomically before the promise
 * resolves, so an operation that answered success survives a crash.
 */
export interface RegistryStore {
  load(): Promise<RegistrySnapshot>;
  apply(changes: RegistryChange[]): Promise<void>;
}
