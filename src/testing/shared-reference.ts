import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, two levels above this file. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * A path inside the reference folder that sits beside the repository (`../shared`), which tests
 * read documented fixtures and the AWS service model from. The product never reads it.
 */
export function sharedPath(...parts: string[]): string {
  return path.join(REPO_ROOT, '..', 'shared', ...parts);
}
