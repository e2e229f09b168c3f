/**
 * The vocabulary of `warden audit --offline`: where each record came from, what the loader could
 * not use, and which kinds of input a folder provided, so checks without their input are not run.
 */

/** A file in the audited folder, relative to it with `/` separators, and for PEM blocks the line. */
export interface SourceLocation {
  file: string;
  /** 1-based line where the PEM block starts, for files that can have several blocks. */
  line?: number;
}

/** A file, or one entry in a file, that the loader skipped, with the reason. */
export interface OfflineProblem extends SourceLocation {
  message: string;
}

/** The kinds of fleet data an audit reads; an offline folder provides some of them. */
export type OfflineInput =
  | 'certificates'
  | 'caCertificates'
  | 'policies'
  | 'roles'
  | 'roleAliases'
  | 'identityPools'
  | 'crls'
  | 'logging'
  | 'connections';

/** Each input kind as the messages name it. */
export const INPUT_NAMES: Record<OfflineInput, string> = {
  certificates: 'device certificates',
  caCertificates: 'CA certificates',
  policies: 'IoT policies',
  roles: 'IAM role documents',
  roleAliases: 'role aliases',
  identityPools: 'identity pools',
  crls: 'CRLs',
  logging: 'logging options (logging.json)',
  connections: 'connection history, which only a running Warden records',
};

/** Formats a problem as `file:line: message`, the form compilers use, so editors can jump to it. */
export function formatProblem(problem: OfflineProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  return `${where}: ${problem.message}`;
}
