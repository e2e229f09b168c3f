/**
 * Reads the PEM files of an offline folder: certificates (`*.pem`, `*.crt`, one or many blocks per
 * file) and CRLs (`*.crl`, or CRL blocks inside a `.pem` file). Private key blocks are skipped
 * without being decoded.
 */

import { parseCertificatePem, type ParsedCertificate } from '../../registry/x509.ts';
import type { InputFile } from './folder-files.ts';
import type { OfflineProblem, SourceLocation } from './offline-inputs.ts';
import { findPemBlocks, isCrlLabel, isPrivateKeyLabel } from './pem-blocks.ts';

/** A certificate read from the folder, with where it was found. */
export interface CertificateSource {
  parsed: ParsedCertificate;
  location: SourceLocation;
}

/** A CRL block read from the folder, still to be matched with the CA that issued it. */
export interface CrlSource {
  pem: string;
  location: SourceLocation;
}

/** Contents of the PEM files of a folder. */
export interface PemContents {
  certificates: CertificateSource[];
  crls: CrlSource[];
}

/** Reads the certificates and CRLs of one PEM file, adding a problem for each unusable block. */
export function readPemFile(
  input: InputFile,
  text: string,
  contents: PemContents,
  problems: OfflineProblem[],
): void {
  const blocks = findPemBlocks(text);
  let used = 0;
  for (const block of blocks) {
    const location = { file: input.file, line: block.line };
    if (isCrlLabel(block.label)) {
      contents.crls.push({ pem: block.text, location });
      used += 1;
    } else if (block.label === 'CERTIFICATE' && input.kind === 'pem') {
      const parsed = parseBlock(block.text);
      if ('error' in parsed) problems.push({ ...location, message: parsed.error });
      else contents.certificates.push({ parsed: parsed.certificate, location });
      used += 1;
    }
  }
  if (used === 0) problems.push({ file: input.file, message: emptyReason(input, blocks) });
}

function parseBlock(text: string): { certificate: ParsedCertificate } | { error: string } {
  try {
    return { certificate: parseCertificatePem(text) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function emptyReason(input: InputFile, blocks: { label: string }[]): string {
  const expected = input.kind === 'crl' ? 'an "X509 CRL" PEM block' : 'a "CERTIFICATE" PEM block';
  if (blocks.length === 0) {
    const hint = input.kind === 'crl' ? '; convert a DER CRL with "openssl crl -inform DER"' : '';
    return `No PEM block found, expected ${expected}${hint}`;
  }
  if (blocks.every((block) => isPrivateKeyLabel(block.label)))
    return `Holds only a private key, which the audit does not read; expected ${expected}`;
  const labels = [...new Set(blocks.map((block) => `"${block.label}"`))].join(', ');
  return `No usable PEM block: found ${labels}, expected ${expected}`;
}
