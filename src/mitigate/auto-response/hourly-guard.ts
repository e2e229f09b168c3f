/**
 * The per-rule guard on automatic responses: a rule may act on at most `maxThingsPerHour`
 * distinct things (or resources) in any sliding hour. The window is kept in the MitigationStore,
 * so a restart does not reset the limit.
 */

import type { MitigationStore } from '../mitigation-store.ts';

/** MitigationStore document kind of the guard windows, keyed by rule name. */
export const AUTO_RESPONSE_GUARD_KIND = 'auto-response-guard';

export const GUARD_WINDOW_MS = 3600 * 1000;

/** Skipped things a trip lists by name. Past this only `skippedCount` grows. */
export const MAX_SKIPPED_LISTED = 100;

/** A thing or resource a rule would act on: a stable key for counting and a label for people. */
export interface GuardSubject {
  key: string;
  label: string;
}

export interface GuardEntry extends GuardSubject {
  time: number;
}

/** A period in which the rule skipped things because its window was full. */
export interface GuardTrip {
  trippedAt: number;
  /** Distinct skipped things, first skip first, at most MAX_SKIPPED_LISTED of them. */
  skipped: GuardEntry[];
  /** Every skip, repeats of a thing included. */
  skippedCount: number;
  /** Set once the guard's alert for this trip was sent, or when there was nowhere to send it. */
  alerted: boolean;
}

/** One rule's window: things acted on with the time of their latest action, oldest first. */
export interface GuardState {
  ruleName: string;
  acted: GuardEntry[];
  trip?: GuardTrip;
}

export type GuardDecision =
  | { outcome: 'admitted'; cleared?: GuardTrip }
  | { outcome: 'skipped'; firstSkip: boolean; trip: GuardTrip; acted: GuardEntry[] };

/**
 * Decides whether a rule may act on a subject at `now` and returns the window after the
 * decision. A thing already in the window is admitted again, because it adds no distinct thing.
 * A new thing is admitted while fewer than `limit` things were acted on in the last hour.
 * Admission updates the thing's time, so every hour-long interval contains at most `limit` things.
 */
export function decide(
  state: GuardState,
  subject: GuardSubject,
  limit: number,
  now: number,
): { state: GuardState; decision: GuardDecision } {
  const acted = state.acted.filter((entry) => now - entry.time < GUARD_WINDOW_MS);
  let trip = state.trip;
  let cleared: GuardTrip | undefined;
  if (trip !== undefined && acted.length < limit) {
    cleared = trip;
    trip = undefined;
  }

  const known = acted.some((entry) => entry.key === subject.key);
  if (known || acted.length < limit) {
    const others = acted.filter((entry) => entry.key !== subject.key);
    const next: GuardState = {
      ruleName: state.ruleName,
      acted: [...others, { ...subject, time: now }],
    };
    if (trip !== undefined) next.trip = trip;
    const decision: GuardDecision = { outcome: 'admitted' };
    if (cleared !== undefined) decision.cleared = cleared;
    return { state: next, decision };
  }

  const firstSkip = trip === undefined;
  const current = trip ?? { trippedAt: now, skipped: [], skippedCount: 0, alerted: false };
  const listed =
    current.skipped.some((entry) => entry.key === subject.key) ||
    current.skipped.length >= MAX_SKIPPED_LISTED;
  const nextTrip: GuardTrip = {
    ...current,
    skipped: listed ? current.skipped : [...current.skipped, { ...subject, time: now }],
    skippedCount: current.skippedCount + 1,
  };
  return {
    state: { ruleName: state.ruleName, acted, trip: nextTrip },
    decision: { outcome: 'skipped', firstSkip, trip: nextTrip, acted },
  };
}

/** Reads and writes the guard windows of the rules. Callers serialize calls per rule. */
export class HourlyGuard {
  constructor(private readonly store: MitigationStore) {}

  async admit(
    ruleName: string,
    subject: GuardSubject,
    limit: number,
    now: number,
  ): Promise<GuardDecision> {
    const { state, decision } = decide(await this.load(ruleName), subject, limit, now);
    await this.save(state);
    return decision;
  }

  /** Returns the window at `now` without its expired entries. Nothing is written. */
  async view(ruleName: string, now: number): Promise<GuardState> {
    const state = await this.load(ruleName);
    const acted = state.acted.filter((entry) => now - entry.time < GUARD_WINDOW_MS);
    return { ...state, acted };
  }

  /** Rule names whose current trip has not been alerted yet. */
  async unalerted(): Promise<string[]> {
    const states = (await this.store.listDocuments(AUTO_RESPONSE_GUARD_KIND)) as GuardState[];
    return states
      .filter((state) => state.trip !== undefined && !state.trip.alerted)
      .map((state) => state.ruleName);
  }

  async markAlerted(ruleName: string): Promise<void> {
    const state = await this.load(ruleName);
    if (state.trip === undefined) return;
    await this.save({ ...state, trip: { ...state.trip, alerted: true } });
  }

  async delete(ruleName: string): Promise<void> {
    await this.store.deleteDocument(AUTO_RESPONSE_GUARD_KIND, ruleName);
  }

  private async load(ruleName: string): Promise<GuardState> {
    const stored = (await this.store.getDocument(AUTO_RESPONSE_GUARD_KIND, ruleName)) as
      GuardState | undefined;
    return stored ?? { ruleName, acted: [] };
  }

  private async save(state: GuardState): Promise<void> {
    await this.store.putDocument({
      kind: AUTO_RESPONSE_GUARD_KIND,
      key: state.ruleName,
      data: state,
    });
  }
}
