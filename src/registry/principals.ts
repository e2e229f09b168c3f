import { invalidRequest, notFound } from '../core/errors.ts';
import type { RegistryState } from './registry.ts';
import { requireThing } from './things.ts';

/** The certificate id a principal ARN names, or an InvalidRequestException for anything else. */
export function certificateIdOfPrincipal(registry: RegistryState, principal: string): string {
  const resource = registry.arns.resourceOf(principal);
  if (!resource?.startsWith('cert/')) {
    throw invalidRequest(
      `Invalid principal "${principal}": expected a certificate ARN (arn:aws:iot:REGION:ACCOUNT:cert/ID)`,
    );
  }
  return resource.slice('cert/'.length).toLowerCase();
}

/** Attaches a certificate to a thing; both must exist. Attaching twice is a success. */
export async function attachThingPrincipal(
  registry: RegistryState,
  thingName: string,
  principal: string,
): Promise<void> {
  requireThing(registry, thingName);
  const certificateId = certificateIdOfPrincipal(registry, principal);
  if (!registry.get('certificate', certificateId))
    throw notFound(`Certificate "${principal}" does not exist`);

  const arn = registry.arns.certificate(certificateId);
  await registry.commit([
    { type: 'link', link: { kind: 'thing-principal', from: thingName, to: arn } },
  ]);
  registry.emit('thing-changed', thingName);
}

export async function detachThingPrincipal(
  registry: RegistryState,
  thingName: string,
  principal: string,
): Promise<void> {
  requireThing(registry, thingName);
  const arn = registry.arns.certificate(certificateIdOfPrincipal(registry, principal));
  await registry.commit([
    { type: 'unlink', link: { kind: 'thing-principal', from: thingName, to: arn } },
  ]);
  registry.emit('thing-changed', thingName);
}

/** Things the certificate is attached to, sorted by name. */
export function thingsOfCertificate(registry: RegistryState, certificateId: string): string[] {
  return registry.linkedTo('thing-principal', registry.arns.certificate(certificateId)).sort();
}
