import { createHash, type X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { Clock } from '../core/clock.ts';
import type { RegistryState } from '../registry/registry.ts';

/** Reason code of a rejected CONNECT, as recorded in the connection history. */
export type RefusalReason =
  | 'no-client-certificate'
  | 'certificate-not-registered'
  | 'certificate-not-active'
  | 'certificate-expired'
  | 'ca-certificate-not-active'
  | 'invalid-client-id'
  | 'connect-not-authorized'
  | 'banned';

export type AdmissionResult =
  | { admitted: true; certificateId: string; certificate: X509Certificate }
  | { admitted: false; reason: RefusalReason; certificateId?: string; detail: string };

/**
 * Decides whether a TLS client may connect, from its certificate alone: it must be registered
 * (by SHA-256 fingerprint, regardless of its issuer), ACTIVE, within its validity period, and its CA, if
 * registered, ACTIVE. TLS has already proved the client holds the certificate's private key.
 */
export function admitCertificate(
  socket: TLSSocket,
  registry: RegistryState,
  clock: Clock,
): AdmissionResult {
  const certificate = socket.getPeerX509Certificate?.();
  if (!certificate)
    return {
      admitted: false,
      reason: 'no-client-certificate',
      detail: 'The client sent no certificate',
    };

  const certificateId = createHash('sha256').update(certificate.raw).digest('hex');
  const record = registry.get('certificate', certificateId);
  if (!record)
    return {
      admitted: false,
      reason: 'certificate-not-registered',
      certificateId,
      detail: `Certificate "${certificateId}" is not registered`,
    };
  if (record.status !== 'ACTIVE') {
    return {
      admitted: false,
      reason: 'certificate-not-active',
      certificateId,
      detail: `Certificate "${certificateId}" is ${record.status}`,
    };
  }
  const now = clock.now();
  if (now < record.notBefore || now > record.notAfter) {
    return {
      admitted: false,
      reason: 'certificate-expired',
      certificateId,
      detail: `Certificate "${certificateId}" is outside its validity period`,
    };
  }
  if (record.caCertificateId !== undefined) {
    const ca = registry.get('caCertificate', record.caCertificateId);
    if (ca?.status !== 'ACTIVE') {
      return {
        admitted: false,
        reason: 'ca-certificate-not-active',
        certificateId,
        detail: `CA certificate "${record.caCertificateId}" of certificate "${certificateId}" is ${ca?.status ?? 'deleted'}`,
      };
    }
  }
  return { admitted: true, certificateId, certificate };
}

/** AWS IoT client IDs are at most 128 bytes of UTF-8 and cannot be empty here. */
export function checkClientId(clientId: string): string | undefined {
  if (clientId === '') return 'An empty client ID is not accepted; set a client ID';
  if (Buffer.byteLength(clientId, 'utf8') > 128)
    return `Client ID "${clientId.slice(0, 40)}…" is longer than 128 bytes`;
  if (/[\u0000-\u001f\u007f]/.test(clientId)) return 'Client ID contains a control character';
  return undefined;
}
