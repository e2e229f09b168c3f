/** A PEM block (RFC 7468): its label, its text from BEGIN to END, and the line it starts on. */
export interface PemBlock {
  label: string;
  text: string;
  line: number;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** Finds every PEM block in a file, in order, so one file can hold a chain or a bundle. */
export function findPemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  let line = 1;
  let counted = 0;
  for (const match of text.matchAll(PEM_BLOCK)) {
    line += countNewlines(text, counted, match.index);
    counted = match.index;
    blocks.push({ label: match[1] ?? '', text: `${match[0]}\n`, line });
  }
  return blocks;
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let index = text.indexOf('\n', from); index !== -1 && index < to;) {
    count += 1;
    index = text.indexOf('\n', index + 1);
  }
  return count;
}

/** True for the labels of private keys, which the audit never reads. */
export function isPrivateKeyLabel(label: string): boolean {
  return label.endsWith('PRIVATE KEY');
}

/** True for the two CRL labels in use: RFC 7468 writes "X509 CRL", some tools write "CRL". */
export function isCrlLabel(label: string): boolean {
  return label === 'X509 CRL' || label === 'CRL';
}
