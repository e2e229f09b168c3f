import { EventEmitter } from 'node:events';
import type { Clock } from '../core/clock.ts';
import { Arns } from './arn.ts';
import type { Link, RegistryChange, RegistrySnapshot, RegistryStore } from './registry-store.ts';
import type { LinkKind, LoggingOptions, RecordKind, RegistryRecords } from './types.ts';

/** Events the broker and detect listen to, so registry changes reach live sessions at once. */
export interface RegistryEvents {
  'certificate-changed': [certificateId: string];
  'ca-certificate-changed': [certificateId: string];
  'policy-changed': [policyName: string];
  'attachments-changed': [];
  'thing-changed': [thingName: string];
}

/**
 * The registry's state: every record in memory for the broker's per-connection lookups, written
 * through to the store. Mutations go through `commit`, which persists first and then updates
 * memory, so memory never shows a change the store lost.
 */
export class RegistryState extends EventEmitter<RegistryEvents> {
  readonly arns: Arns;
  private records!: RegistrySnapshot['records'];
  private readonly forward = new Map<string, Set<string>>();
  private readonly reverse = new Map<string, Set<string>>();
  logging: LoggingOptions | undefined;

  constructor(
    private readonly store: RegistryStore,
    readonly clock: Clock,
    options: { region: string; accountId: string },
  ) {
    super();
    this.arns = new Arns(options.region, options.accountId);
  }

  async load(): Promise<void> {
    const snapshot = await this.store.load();
    this.records = snapshot.records;
    this.logging = snapshot.logging;
    for (const link of snapshot.links) this.addLink(link);
  }

  get<K extends RecordKind>(kind: K, key: string): RegistryRecords[K] | undefined {
    return this.records[kind].get(key) as RegistryRecords[K] | undefined;
  }

  all<K extends RecordKind>(kind: K): RegistryRecords[K][] {
    return [...(this.records[kind].values() as Iterable<RegistryRecords[K]>)];
  }

  /** Keys linked from `from`, e.g. the things in a group. */
  linkedFrom(kind: LinkKind, from: string): string[] {
    return [...(this.forward.get(`${kind}\u0000${from}`) ?? [])];
  }

  /** Keys linking to `to`, e.g. the groups a thing is in. */
  linkedTo(kind: LinkKind, to: string): string[] {
    return [...(this.reverse.get(`${kind}\u0000${to}`) ?? [])];
  }

  hasLink(kind: LinkKind, from: string, to: string): boolean {
    return this.forward.get(`${kind}\u0000${from}`)?.has(to) ?? false;
  }

  /** Persists the changes atomically, then applies them to memory. */
  async commit(changes: RegistryChange[]): Promise<void> {
    await this.store.apply(changes);
    for (const change of changes) this.applyInMemory(change);
  }

  private applyInMemory(change: RegistryChange): void {
    switch (change.type) {
      case 'put':
        this.records[change.kind].set(change.key, change.record as never);
        return;
      case 'delete':
        this.records[change.kind].delete(change.key);
        return;
      case 'link':
        this.addLink(change.link);
        return;
      case 'unlink':
        this.removeLink(change.link);
        return;
      case 'logging':
        this.logging = change.options;
        return;
    }
  }

  private addLink(link: Link): void {
    addTo(this.forward, `${link.kind}\u0000${link.from}`, link.to);
    addTo(this.reverse, `${link.kind}\u0000${link.to}`, link.from);
  }

  private removeLink(link: Link): void {
    this.forward.get(`${link.kind}\u0000${link.from}`)?.delete(link.to);
    this.reverse.get(`${link.kind}\u0000${link.to}`)?.delete(link.from);
  }
}

function addTo(index: Map<string, Set<string>>, key: string, value: string): void {
  let set = index.get(key);
  if (!set) {
    set = new Set();
    index.set(key, set);
  }
  set.add(value);
}
