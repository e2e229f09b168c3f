/**
 * The record of what the auto-responder decided besides executions: guard trips and clears, and
 * responses that could not run. Operators read it through the API to see why a rule stopped.
 */

import { randomUUID } from 'node:crypto';
import type { MitigationStore } from '../mitigation-store.ts';

/** MitigationStore document kind of the events, keyed `RULE/TIME/ID` so keys sort by time. */
export const AUTO_RESPONSE_EVENT_KIND = 'auto-response-event';

export type AutoResponseEventType = 'guard-tripped' | 'guard-cleared' | 'response-failed';

export interface AutoResponseEvent {
  eventId: string;
  ruleName: string;
  type: AutoResponseEventType;
  time: number;
  message: string;
  details: Record<string, unknown>;
}

/** Appends, lists and prunes auto-response events. */
export class AutoResponseEvents {
  constructor(private readonly store: MitigationStore) {}

  async record(event: Omit<AutoResponseEvent, 'eventId'>): Promise<AutoResponseEvent> {
    const stored: AutoResponseEvent = { eventId: randomUUID(), ...event };
    await this.store.putDocument({
      kind: AUTO_RESPONSE_EVENT_KIND,
      key: eventKey(stored),
      data: stored,
    });
    return stored;
  }

  /** Lists the events of one rule, oldest first. */
  async list(ruleName: string): Promise<AutoResponseEvent[]> {
    const all = (await this.store.listDocuments(AUTO_RESPONSE_EVENT_KIND)) as AutoResponseEvent[];
    return all.filter((event) => event.ruleName === ruleName);
  }

  /** Deletes events older than `before` and returns how many it deleted. */
  async prune(before: number): Promise<number> {
    const all = (await this.store.listDocuments(AUTO_RESPONSE_EVENT_KIND)) as AutoResponseEvent[];
    const old = all.filter((event) => event.time < before);
    for (const event of old)
      await this.store.deleteDocument(AUTO_RESPONSE_EVENT_KIND, eventKey(event));
    return old.length;
  }
}

function eventKey(event: AutoResponseEvent): string {
  return `${event.ruleName}/${String(event.time).padStart(15, '0')}/${event.eventId}`;
}
