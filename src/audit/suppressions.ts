import type { Clock } from '../core/clock.ts';
import { alreadyExists, invalidRequest, notFound } from '../core/errors.ts';
import type { AuditConfigurations } from './audit-configuration.ts';
import { resourceKey, type AuditSuppression } from './audit-records.ts';
import type { AuditStore } from './audit-store.ts';
import type { ResourceIdentifier } from './audit-types.ts';

export interface SuppressionInput {
  checkName: string;
  resourceIdentifier: ResourceIdentifier;
  expirationDate?: number | undefined;
  suppressIndefinitely?: boolean | undefined;
  description?: string | undefined;
}

/**
 * Audit finding suppressions, keyed by check name and resource identifier. A suppression needs
 * exactly one of a future `expirationDate` and `suppressIndefinitely: true`; an expired one no
 * longer matches and stays listed until deleted.
 */
export class Suppressions {
  constructor(
    private readonly store: AuditStore,
    private readonly configurations: AuditConfigurations,
    private readonly clock: Clock,
  ) {}

  async create(input: SuppressionInput & { clientRequestToken: string }): Promise<void> {
    this.configurations.check(input.checkName);
    this.checkExpiry(input);
    const existing = await this.find(input.checkName, input.resourceIdentifier);
    if (existing) {
      if (existing.clientRequestToken === input.clientRequestToken) return;
      throw alreadyExists(
        `A suppression for check "${input.checkName}" and this resource already exists`,
        `${input.checkName}:${resourceKey(input.resourceIdentifier)}`,
      );
    }
    await this.store.putSuppression(clean({ ...input }));
  }

  async update(input: SuppressionInput): Promise<void> {
    const existing = await this.require(input.checkName, input.resourceIdentifier);
    const next: AuditSuppression = { ...existing };
    if (input.description !== undefined) next.description = input.description;
    if (input.expirationDate !== undefined || input.suppressIndefinitely !== undefined) {
      this.checkExpiry(input);
      delete next.expirationDate;
      delete next.suppressIndefinitely;
      if (input.expirationDate !== undefined) next.expirationDate = input.expirationDate;
      if (input.suppressIndefinitely === true) next.suppressIndefinitely = true;
    }
    await this.store.putSuppression(next);
  }

  async delete(checkName: string, identifier: ResourceIdentifier): Promise<void> {
    await this.store.deleteSuppression(checkName, resourceKey(identifier));
  }

  async require(checkName: string, identifier: ResourceIdentifier): Promise<AuditSuppression> {
    const found = await this.find(checkName, identifier);
    if (!found)
      throw notFound(
        `No suppression for check "${checkName}" and resource ${resourceKey(identifier)}`,
      );
    return found;
  }

  async list(filter: {
    checkName?: string | undefined;
    resourceIdentifier?: ResourceIdentifier | undefined;
    ascendingOrder?: boolean | undefined;
  }): Promise<AuditSuppression[]> {
    const key =
      filter.resourceIdentifier === undefined ? undefined : resourceKey(filter.resourceIdentifier);
    const all = await this.store.listSuppressions();
    const selected = all.filter(
      (item) =>
        (filter.checkName === undefined || item.checkName === filter.checkName) &&
        (key === undefined || resourceKey(item.resourceIdentifier) === key),
    );
    const order = filter.ascendingOrder === false ? -1 : 1;
    // Check name and resource break ties, so pages cut from the list never overlap or skip.
    return selected.sort(
      (a, b) =>
        order * ((a.expirationDate ?? Infinity) - (b.expirationDate ?? Infinity)) ||
        a.checkName.localeCompare(b.checkName) ||
        resourceKey(a.resourceIdentifier).localeCompare(resourceKey(b.resourceIdentifier)),
    );
  }

  private async find(
    checkName: string,
    identifier: ResourceIdentifier,
  ): Promise<AuditSuppression | undefined> {
    const key = resourceKey(identifier);
    return (await this.store.listSuppressions()).find(
      (item) => item.checkName === checkName && resourceKey(item.resourceIdentifier) === key,
    );
  }

  private checkExpiry(input: SuppressionInput): void {
    const indefinite = input.suppressIndefinitely === true;
    if (indefinite === (input.expirationDate !== undefined)) {
      throw invalidRequest('Give exactly one of expirationDate and suppressIndefinitely=true');
    }
    if (input.expirationDate !== undefined && input.expirationDate <= this.clock.now()) {
      throw invalidRequest(
        `Invalid expirationDate "${new Date(input.expirationDate).toISOString()}": it must be in the future`,
      );
    }
  }
}

function clean(input: SuppressionInput & { clientRequestToken: string }): AuditSuppression {
  const suppression: AuditSuppression = {
    checkName: input.checkName,
    resourceIdentifier: input.resourceIdentifier,
    clientRequestToken: input.clientRequestToken,
  };
  if (input.expirationDate !== undefined) suppression.expirationDate = input.expirationDate;
  if (input.suppressIndefinitely === true) suppression.suppressIndefinitely = true;
  if (input.description !== undefined) suppression.description = input.description;
  return suppression;
}
