/** Builds and reads the ARNs Warden hands out, in the AWS IoT formats. */
export class Arns {
  constructor(
    readonly region: string,
    readonly accountId: string,
  ) {}

  private base(resource: string): string {
    return `arn:aws:iot:${this.region}:${this.accountId}:${resource}`;
  }

  thing(name: string): string {
    return this.base(`thing/${name}`);
  }

  thingGroup(name: string): string {
    return this.base(`thinggroup/${name}`);
  }

  certificate(id: string): string {
    return this.base(`cert/${id}`);
  }

  caCertificate(id: string): string {
    return this.base(`cacert/${id}`);
  }

  policy(name: string): string {
    return this.base(`policy/${name}`);
  }

  securityProfile(name: string): string {
    return this.base(`securityprofile/${name}`);
  }

  customMetric(name: string): string {
    return this.base(`custommetric/${name}`);
  }

  dimension(name: string): string {
    return this.base(`dimension/${name}`);
  }

  /**
   * The resource part of an AWS IoT ARN, e.g. `cert/ab12…`, or undefined for other text. Region and
   * account are not compared, so ARNs copied from an AWS account name the same Warden resources.
   */
  resourceOf(arn: string): string | undefined {
    return /^arn:aws:iot:[^:]*:[^:]*:(.+)$/.exec(arn)?.[1];
  }
}
