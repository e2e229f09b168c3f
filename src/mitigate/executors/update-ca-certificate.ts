import { requireCaCertificate, updateCaCertificate } from '../../registry/certificates.ts';
import { statusChangeExecutor } from './status-change.ts';

/**
 * UPDATE_CA_CERTIFICATE with `action: DEACTIVATE`: the target's CA certificates become
 * INACTIVE, as UpdateCACertificate with newStatus INACTIVE does. Every live session whose
 * certificate that CA issued is dropped at once, and those devices cannot reconnect until
 * rollback makes the CA ACTIVE again.
 */
export const updateCaCertificateExecutor = statusChangeExecutor({
  actionType: 'UPDATE_CA_CERTIFICATE',
  member: 'updateCACertificateParams',
  label: 'CA certificate',
  targetIds: (target) => target.caCertificateIds,
  read: (registry, id) => requireCaCertificate(registry, id),
  find: (registry, id) => registry.get('caCertificate', id)?.status,
  setStatus: async (registry, id, newStatus) => {
    await updateCaCertificate(registry, id, { newStatus });
  },
});
