import 'reflect-metadata';
import { X509Certificate as PeculiarCertificate } from '@peculiar/x509';
import type { X509Certificate } from 'node:crypto';
import type { Clock } from '../core/clock.ts';
import { defaultDocument } from '../registry/policies.ts';
import type { RegistryState } from '../registry/registry.ts';
import { groupsOfThing } from '../registry/thing-groups.ts';
import {
  bindContext,
  certificateAttributesFromX509,
  compilePolicy,
  type Authorizer,
  type CertificateAttributes,
  type CompiledPolicy,
  type PolicyContext,
} from './policy/index.ts';

export interface SessionIdentity {
  clientId: string;
  certificateId: string;
  certificate: X509Certificate;
  sourceIp: string;
  domainName?: string | undefined;
}

export interface BoundSession {
  authorizer: Authorizer;
  thingName?: string;
  identity: string;
}

/**
 * Builds a connection's authorizer from the registry: the policies attached to its certificate,
 * plus, when the certificate is attached to the thing named by the client ID, the policies of
 * that thing's groups and their parents. Compiled documents are cached by policy generation.
 */
export class SessionAuthorizerFactory {
  private readonly compiled = new Map<string, { generationId: string; policy: CompiledPolicy }>();
  private readonly attributes = new Map<string, CertificateAttributes>();

  constructor(
    private readonly registry: RegistryState,
    private readonly clock: Clock,
  ) {}

  bind(identity: SessionIdentity): BoundSession {
    const registry = this.registry;
    const certificateArn = registry.arns.certificate(identity.certificateId);
    const thing = registry.get('thing', identity.clientId);
    const isAttached =
      thing !== undefined && registry.hasLink('thing-principal', thing.thingName, certificateArn);

    const targets = [certificateArn];
    if (isAttached && thing) {
      for (const group of groupsOfThing(registry, thing.thingName))
        targets.push(registry.arns.thingGroup(group));
    }
    const names = new Set(targets.flatMap((target) => registry.linkedTo('policy-target', target)));
    const policies = [...names].sort().flatMap((name) => this.compiledPolicy(name));

    const context: PolicyContext = {
      clientId: identity.clientId,
      isAttached,
      sourceIp: identity.sourceIp,
      certificate: this.certificateAttributes(identity),
      region: registry.arns.region,
      accountId: registry.arns.accountId,
      now: this.clock.now(),
    };
    if (identity.domainName !== undefined) context.domainName = identity.domainName;
    if (isAttached && thing) {
      context.thingName = thing.thingName;
      context.thingAttributes = thing.attributes;
      if (thing.thingTypeName !== undefined) context.thingTypeName = thing.thingTypeName;
    }

    const authorizer = bindContext(policies, context, { clock: this.clock });
    const bound: BoundSession = {
      authorizer,
      identity: isAttached && thing ? thing.thingName : identity.clientId,
    };
    if (isAttached && thing) bound.thingName = thing.thingName;
    return bound;
  }

  private certificateAttributes(identity: SessionIdentity): CertificateAttributes {
    const cached = this.attributes.get(identity.certificateId);
    if (cached) return cached;
    const attributes = certificateAttributesFromX509(
      new PeculiarCertificate(identity.certificate.raw),
    );
    if (this.attributes.size > 10_000) this.attributes.clear();
    this.attributes.set(identity.certificateId, attributes);
    return attributes;
  }

  private compiledPolicy(name: string): CompiledPolicy[] {
    const policy = this.registry.get('policy', name);
    if (!policy) return [];
    const cached = this.compiled.get(name);
    if (cached?.generationId === policy.generationId) return [cached.policy];
    const compiled = compilePolicy(name, defaultDocument(policy));
    this.compiled.set(name, { generationId: policy.generationId, policy: compiled });
    return [compiled];
  }
}
