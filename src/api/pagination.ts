import { invalidRequest } from '../core/errors.ts';

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/**
 * Cuts one page from a sorted list. The token is opaque to clients: the offset of the next item,
 * base64-encoded, which also fits the `marker` pattern. A token that does not decode is rejected rather than restarting the list.
 */
export function paginate<T>(all: T[], nextToken: string | undefined, maxResults: number): Page<T> {
  const start = nextToken === undefined ? 0 : decodeToken(nextToken);
  const items = all.slice(start, start + maxResults);
  const end = start + items.length;
  if (end >= all.length) return { items };
  return { items, nextToken: Buffer.from(JSON.stringify({ o: end })).toString('base64') };
}

function decodeToken(token: string): number {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    const offset = (decoded as { o?: unknown }).o;
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // Fall through to the error below: a token that is not ours is a client mistake.
  }
  throw invalidRequest(
    `Invalid nextToken "${token.slice(0, 40)}": pass the token from the previous response`,
  );
}
