import { requireCertificate, updateCertificateStatus } from '../../registry/certificates.ts';
import { statusChangeExecutor } from './status-change.ts';

/**
 * UPDATE_DEVICE_CERTIFICATE with `action: DEACTIVATE`: the target's device certificates become
 * INACTIVE, as UpdateCertificate with newStatus INACTIVE does. Their live sessions are dropped
 * at once and their CONNECTs refused until rollback makes them ACTIVE again.
 */
export const updateDeviceCertificateExecutor = statusChangeExecutor({
  actionType: 'UPDATE_DEVICE_CERTIFICATE',
  member: 'updateDeviceCertificateParams',
  label: 'device certificate',
  targetIds: (target) => target.certificateIds,
  read: (registry, id) => requireCertificate(registry, id),
  find: (registry, id) => registry.get('certificate', id)?.status,
  setStatus: async (registry, id, status) => {
    await updateCertificateStatus(registry, id, status);
  },
});
