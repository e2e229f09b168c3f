import type { StoredFinding } from '../audit/audit-records.ts';
import type { AuditResource } from '../audit/audit-types.ts';
import type { Session } from '../broker/session.ts';
import type { Violation } from '../detect/detect-records.ts';
import { thingsOfCertificate } from '../registry/principals.ts';
import type { RegistryState } from '../registry/registry.ts';
import type { MitigationTarget } from './mitigation-types.ts';
import { findingSubject, violationSubject } from './subjects.ts';

export interface TargetResolverOptions {
  registry: RegistryState;
  /** The broker's live sessions, for the client IDs and source IPs in use right now. */
  sessions: () => Iterable<Session>;
}

/**
 * Turns an audit finding or a violation into the resources a mitigation acts on. Certificates
 * bring the things attached to them. Live sessions add the client IDs and source IPs in use, so
 * DISCONNECT_CLIENT and BAN have something to act on, which makes a target depend on the moment
 * it is resolved.
 */
export class TargetResolver {
  constructor(private readonly options: TargetResolverOptions) {}

  /**
   * DEVICE_CERTIFICATE: the certificate and its things. CA_CERTIFICATE: the CA. CLIENT_ID: the
   * client ID and the thing of that name. IOT_POLICY: the policy. ISSUER_CERTIFICATE: the
   * related device certificates and their things. ACCOUNT_SETTINGS and the rest: nothing.
   */
  fromFinding(finding: StoredFinding): MitigationTarget {
    const target = emptyTarget(findingSubject(finding));
    const resource = finding.nonCompliantResource;
    const id = resource.resourceIdentifier;
    switch (resource.resourceType) {
      case 'DEVICE_CERTIFICATE':
        if (id.deviceCertificateId !== undefined)
          this.addCertificate(target, id.deviceCertificateId);
        break;
      case 'CA_CERTIFICATE':
        if (id.caCertificateId !== undefined) target.caCertificateIds.push(id.caCertificateId);
        break;
      case 'CLIENT_ID':
        if (id.clientId !== undefined) this.addClient(target, id.clientId);
        break;
      case 'IOT_POLICY':
        if (id.policyVersionIdentifier !== undefined)
          target.policyNames.push(id.policyVersionIdentifier.policyName);
        break;
      case 'ISSUER_CERTIFICATE':
        for (const certificateId of relatedCertificates(finding.relatedResources))
          this.addCertificate(target, certificateId);
        break;
      default:
        break;
    }
    return deduplicate(target);
  }

  /** Resolves a violation to its thing, the thing's certificates, client ID and source IPs. */
  fromViolation(violation: Violation): MitigationTarget {
    const target = emptyTarget(violationSubject(violation));
    const registry = this.options.registry;
    const name = violation.thingName;
    target.thingNames.push(name);
    target.clientIds.push(name);
    for (const principal of registry.linkedFrom('thing-principal', name)) {
      const resource = registry.arns.resourceOf(principal);
      if (resource?.startsWith('cert/')) target.certificateIds.push(resource.slice('cert/'.length));
    }
    for (const session of this.options.sessions()) {
      if (session.identity === name || session.clientId === name)
        target.sourceIps.push(session.sourceIp);
    }
    return deduplicate(target);
  }

  private addCertificate(target: MitigationTarget, certificateId: string): void {
    target.certificateIds.push(certificateId);
    target.thingNames.push(...thingsOfCertificate(this.options.registry, certificateId));
    for (const session of this.options.sessions()) {
      if (session.certificateId !== certificateId) continue;
      target.clientIds.push(session.clientId);
      target.sourceIps.push(session.sourceIp);
    }
  }

  private addClient(target: MitigationTarget, clientId: string): void {
    target.clientIds.push(clientId);
    if (this.options.registry.get('thing', clientId)) target.thingNames.push(clientId);
    for (const session of this.options.sessions()) {
      if (session.clientId === clientId) target.sourceIps.push(session.sourceIp);
    }
  }
}

function relatedCertificates(related: AuditResource[]): string[] {
  return related
    .filter((resource) => resource.resourceType === 'DEVICE_CERTIFICATE')
    .flatMap((resource) => resource.resourceIdentifier.deviceCertificateId ?? []);
}

function emptyTarget(subject: Record<string, unknown>): MitigationTarget {
  return {
    certificateIds: [],
    caCertificateIds: [],
    thingNames: [],
    clientIds: [],
    policyNames: [],
    sourceIps: [],
    subject,
  };
}

function deduplicate(target: MitigationTarget): MitigationTarget {
  return {
    certificateIds: [...new Set(target.certificateIds)],
    caCertificateIds: [...new Set(target.caCertificateIds)],
    thingNames: [...new Set(target.thingNames)],
    clientIds: [...new Set(target.clientIds)],
    policyNames: [...new Set(target.policyNames)],
    sourceIps: [...new Set(target.sourceIps)],
    subject: target.subject,
  };
}
