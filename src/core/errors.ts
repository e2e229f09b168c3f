/**
 * Domain errors with stable codes. The API layer turns them into AWS REST-JSON errors: the code is
 * the AWS error type (`x-amzn-ErrorType`), the status is the HTTP status the service model gives.
 */

export type AwsErrorType =
  | 'InvalidRequestException'
  | 'ResourceNotFoundException'
  | 'ResourceAlreadyExistsException'
  | 'DeleteConflictException'
  | 'LimitExceededException'
  | 'ThrottlingException'
  | 'UnauthorizedException'
  | 'InternalFailureException'
  | 'VersionConflictException'
  | 'VersionsLimitExceededException'
  | 'MalformedPolicyException'
  | 'CertificateValidationException'
  | 'CertificateStateException'
  | 'CertificateConflictException'
  | 'ServiceUnavailableException'
  | 'TaskAlreadyExistsException'
  | 'ConflictingResourceUpdateException'
  | 'NotConfiguredException'
  | 'NotImplementedException'
  | 'MissingAuthenticationTokenException'
  | 'IncompleteSignatureException'
  | 'InvalidSignatureException'
  | 'UnrecognizedClientException'
  | 'AccessDeniedException';

const STATUS: Record<AwsErrorType, number> = {
  InvalidRequestException: 400,
  ResourceNotFoundException: 404,
  ResourceAlreadyExistsException: 409,
  DeleteConflictException: 409,
  LimitExceededException: 410,
  ThrottlingException: 400,
  UnauthorizedException: 401,
  InternalFailureException: 500,
  VersionConflictException: 409,
  VersionsLimitExceededException: 409,
  MalformedPolicyException: 400,
  CertificateValidationException: 400,
  CertificateStateException: 406,
  CertificateConflictException: 409,
  ServiceUnavailableException: 503,
  TaskAlreadyExistsException: 400,
  ConflictingResourceUpdateException: 409,
  NotConfiguredException: 404,
  NotImplementedException: 501,
  // Refusals before any operation runs: the request is unsigned, badly signed or not allowed.
  MissingAuthenticationTokenException: 403,
  IncompleteSignatureException: 403,
  InvalidSignatureException: 403,
  UnrecognizedClientException: 403,
  AccessDeniedException: 403,
};

export interface WardenErrorOptions {
  cause?: unknown;
  /** Extra members of the AWS error body, such as `resourceId` and `resourceArn`. */
  fields?: Record<string, string>;
}

/** A failure the caller caused or can act on, with an AWS error type as its stable code. */
export class WardenError extends Error {
  readonly code: AwsErrorType;
  readonly fields: Record<string, string>;

  constructor(code: AwsErrorType, message: string, options: WardenErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WardenError';
    this.code = code;
    this.fields = options.fields ?? {};
  }

  get status(): number {
    return STATUS[this.code];
  }
}

export function invalidRequest(message: string): WardenError {
  return new WardenError('InvalidRequestException', message);
}

export function notFound(message: string): WardenError {
  return new WardenError('ResourceNotFoundException', message);
}

export function alreadyExists(
  message: string,
  resourceId: string,
  resourceArn?: string,
): WardenError {
  const fields: Record<string, string> = { resourceId };
  if (resourceArn !== undefined) fields['resourceArn'] = resourceArn;
  return new WardenError('ResourceAlreadyExistsException', message, { fields });
}
