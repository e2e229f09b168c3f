/**
 * An audit that could not run or finish: Warden unreachable or rejecting a request, a folder that
 * cannot be read, no check to run. The CLI prints the message and exits 2.
 */
export class AuditRunError extends Error {
  override readonly name = 'AuditRunError';
}
