/**
 * Occurrences (a violation or a finding) that rules respond to, and the durable record of which
 * (rule, occurrence) pairs were handled, so that no rule acts twice on the same one.
 */

import type { MitigationStore } from '../mitigation-store.ts';
import type { ExecutionSource, MitigationTarget } from '../mitigation-types.ts';
import type { GuardSubject } from './hourly-guard.ts';

/** MitigationStore document kind of the handled pairs, keyed `RULE/KIND/ID`. */
export const AUTO_RESPONSE_CLAIM_KIND = 'auto-response-claim';

/** A violation or finding that a rule responds to. */
export interface Occurrence {
  source: Extract<ExecutionSource, { kind: 'violation' | 'audit-finding' }>;
  /** The violation id or the finding id. */
  sourceId: string;
  subject: GuardSubject;
  target: () => MitigationTarget | Promise<MitigationTarget>;
}

interface Claim {
  ruleName: string;
  sourceKind: Occurrence['source']['kind'];
  sourceId: string;
  claimedAt: number;
}

/** Records handled pairs. Callers serialize calls, so a check and its write never interleave. */
export class OccurrenceClaims {
  constructor(private readonly store: MitigationStore) {}

  /** Records the pair as handled at `now`, or returns false when it already was. */
  async claim(ruleName: string, occurrence: Occurrence, now: number): Promise<boolean> {
    const claim: Claim = {
      ruleName,
      sourceKind: occurrence.source.kind,
      sourceId: occurrence.sourceId,
      claimedAt: now,
    };
    const key = claimKey(claim);
    if ((await this.store.getDocument(AUTO_RESPONSE_CLAIM_KIND, key)) !== undefined) return false;
    await this.store.putDocument({ kind: AUTO_RESPONSE_CLAIM_KIND, key, data: claim });
    return true;
  }

  /**
   * Deletes pairs handled before `before` and returns how many it deleted. An occurrence that
   * fires again after its pair was pruned is acted on again.
   */
  async prune(before: number): Promise<number> {
    const claims = (await this.store.listDocuments(AUTO_RESPONSE_CLAIM_KIND)) as Claim[];
    const old = claims.filter((claim) => claim.claimedAt < before);
    for (const claim of old)
      await this.store.deleteDocument(AUTO_RESPONSE_CLAIM_KIND, claimKey(claim));
    return old.length;
  }
}

function claimKey(claim: Claim): string {
  return `${claim.ruleName}/${claim.sourceKind}/${claim.sourceId}`;
}
