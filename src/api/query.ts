import { invalidRequest } from '../core/errors.ts';

/** Reads typed query-string parameters with the AWS validation wording on bad values. */
export class Query {
  constructor(private readonly params: URLSearchParams) {}

  string(name: string): string | undefined {
    return this.params.get(name) ?? undefined;
  }

  required(name: string): string {
    const value = this.params.get(name);
    if (value === null || value === '') {
      throw invalidRequest(
        `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`,
      );
    }
    return value;
  }

  integer(name: string, range: { min: number; max: number }): number | undefined {
    const raw = this.params.get(name);
    if (raw === null) return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < range.min || value > range.max) {
      throw invalidRequest(
        `1 validation error detected: Value '${raw}' at '${name}' failed to satisfy constraint: Member must be an integer between ${range.min} and ${range.max}`,
      );
    }
    return value;
  }

  boolean(name: string): boolean | undefined {
    const raw = this.params.get(name);
    if (raw === null) return undefined;
    if (raw === 'true') return true;
    if (raw === 'false') return false;
    throw invalidRequest(
      `1 validation error detected: Value '${raw}' at '${name}' failed to satisfy constraint: Member must be true or false`,
    );
  }

  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const raw = this.params.get(name);
    if (raw === null) return undefined;
    if ((values as readonly string[]).includes(raw)) return raw as T;
    throw invalidRequest(
      `1 validation error detected: Value '${raw}' at '${name}' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`,
    );
  }

  /** Epoch milliseconds from an ISO-8601 time or epoch seconds; SDKs send ISO-8601 in queries. */
  time(name: string): number | undefined {
    const raw = this.params.get(name);
    if (raw === null) return undefined;
    const value = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) * 1000 : Date.parse(raw);
    if (Number.isNaN(value)) {
      throw invalidRequest(
        `1 validation error detected: Value '${raw}' at '${name}' failed to satisfy constraint: Member must be an ISO-8601 time or epoch seconds`,
      );
    }
    return value;
  }
}
