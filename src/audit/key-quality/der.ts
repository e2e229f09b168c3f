/**
 * A minimal DER reader for the few certificate fields the key-quality analysis needs. It reads
 * the DER itself instead of going through OpenSSL, so that it can describe keys OpenSSL refuses
 * to load, such as an RSA key with an even public exponent.
 */

/** One tag-length-value element, as offsets into the buffer it was read from. */
export interface DerElement {
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** Offset just past the last content byte. */
  end: number;
}

export const DER_TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  NULL: 0x05,
  OBJECT_IDENTIFIER: 0x06,
  SEQUENCE: 0x30,
  CONTEXT_0: 0xa0,
} as const;

/** Reads the element that starts at `offset`; `limit` bounds it (default: the buffer's end). */
export function readElement(buffer: Uint8Array, offset: number, limit = buffer.length): DerElement {
  const tag = byteAt(buffer, offset, limit);
  if ((tag & 0x1f) === 0x1f) throw derError(offset, `high tag number form "${hex(tag)}"`);

  const first = byteAt(buffer, offset + 1, limit);
  let length = first;
  let contentStart = offset + 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) throw derError(offset, `length of ${count} bytes`);
    length = 0;
    for (let i = 0; i < count; i += 1)
      length = length * 256 + byteAt(buffer, offset + 2 + i, limit);
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > limit) throw derError(offset, `length ${length} past the end of its container`);
  return { tag, start: offset, contentStart, end };
}

/** Reads the elements inside a constructed element, in order. */
export function readChildren(buffer: Uint8Array, parent: DerElement): DerElement[] {
  const children: DerElement[] = [];
  for (let offset = parent.contentStart; offset < parent.end;) {
    const child = readElement(buffer, offset, parent.end);
    children.push(child);
    offset = child.end;
  }
  return children;
}

/** Reads the element and checks its tag. */
export function expectElement(
  buffer: Uint8Array,
  element: DerElement | undefined,
  tag: number,
  what: string,
): DerElement {
  if (element === undefined) throw new Error(`Invalid DER: missing ${what}`);
  if (element.tag !== tag) {
    throw derError(
      element.start,
      `tag "${hex(element.tag)}" where ${what} ("${hex(tag)}") belongs`,
    );
  }
  return element;
}

/** Decodes an OBJECT IDENTIFIER to dotted form, e.g. `1.2.840.113549.1.1.11`. */
export function readObjectIdentifier(buffer: Uint8Array, element: DerElement): string {
  const arcs: number[] = [];
  let value = 0;
  for (let offset = element.contentStart; offset < element.end; offset += 1) {
    const byte = buffer[offset] ?? 0;
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0;
    }
  }
  const first = arcs.shift() ?? 0;
  const top = first < 80 ? Math.floor(first / 40) : 2;
  return [top, first - top * 40, ...arcs].join('.');
}

/** Decodes an INTEGER as an unsigned value, the way RSA moduli and exponents are stored. */
export function readUnsignedInteger(buffer: Uint8Array, element: DerElement): bigint {
  if (element.end === element.contentStart) throw derError(element.start, 'empty INTEGER');
  const bytes = Buffer.from(
    buffer.buffer,
    buffer.byteOffset + element.contentStart,
    element.end - element.contentStart,
  );
  return BigInt(`0x${bytes.toString('hex')}`);
}

/** Returns the bytes of an element, header included. */
export function elementBytes(buffer: Uint8Array, element: DerElement): Buffer {
  return Buffer.from(buffer.subarray(element.start, element.end));
}

function byteAt(buffer: Uint8Array, offset: number, limit: number): number {
  const byte = offset < limit ? buffer[offset] : undefined;
  if (byte === undefined) throw derError(offset, 'truncated element');
  return byte;
}

function derError(offset: number, problem: string): Error {
  return new Error(`Invalid DER at byte ${offset}: ${problem}`);
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(2, '0')}`;
}
