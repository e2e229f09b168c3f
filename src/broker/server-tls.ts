import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

export interface ServerTls {
  /** PEM of the CA that signed the broker certificate; clients verify the broker with it. */
  caPem: string;
  certPem: string;
  keyPem: string;
  caFile: string;
}

/**
 * Loads the broker's TLS identity from `DIR/tls`, creating it on first start: a server CA and a
 * broker certificate for `localhost`, 127.0.0.1, ::1 and the configured host. Private keys are
 * written with mode 0600.
 */
export async function ensureServerTls(dataDir: string, host: string): Promise<ServerTls> {
  const dir = path.join(dataDir, 'tls');
  const files = {
    caFile: path.join(dir, 'server-ca.pem'),
    caKey: path.join(dir, 'server-ca.key'),
    cert: path.join(dir, 'broker.pem'),
    key: path.join(dir, 'broker.key'),
  };
  if (!existsSync(files.cert) || !existsSync(files.key) || !existsSync(files.caFile)) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await createIdentity(files, host);
  }
  return {
    caPem: await readFile(files.caFile, 'utf8'),
    certPem: await readFile(files.cert, 'utf8'),
    keyPem: await readFile(files.key, 'utf8'),
    caFile: files.caFile,
  };
}

async function createIdentity(
  files: { caFile: string; caKey: string; cert: string; key: string },
  host: string,
): Promise<void> {
  const now = new Date();
  const notAfter = new Date(now.getTime() + TEN_YEARS_MS);
  const caKeys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: 'CN=Warden server CA',
    notBefore: now,
    notAfter,
    keys: caKeys as webcrypto.CryptoKeyPair,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
    ],
  });

  const brokerKeys = (await webcrypto.subtle.generateKey(ALGORITHM, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const broker = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: 'CN=Warden broker',
    issuer: ca.subject,
    notBefore: now,
    notAfter,
    publicKey: brokerKeys.publicKey,
    signingKey: (caKeys as webcrypto.CryptoKeyPair).privateKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(subjectNames(host)),
    ],
  });

  await writeFile(files.caFile, ca.toString('pem') + '\n', { mode: 0o644 });
  await writeKey(files.caKey, (caKeys as webcrypto.CryptoKeyPair).privateKey);
  await writeFile(files.cert, broker.toString('pem') + '\n', { mode: 0o644 });
  await writeKey(files.key, brokerKeys.privateKey);
}

function subjectNames(host: string): { type: 'dns' | 'ip'; value: string }[] {
  const names: { type: 'dns' | 'ip'; value: string }[] = [
    { type: 'dns', value: 'localhost' },
    { type: 'ip', value: '127.0.0.1' },
    { type: 'ip', value: '::1' },
  ];
  if (
    host !== '' &&
    host !== '0.0.0.0' &&
    host !== '::' &&
    !names.some((name) => name.value === host)
  ) {
    names.push({ type: isIP(host) ? 'ip' : 'dns', value: host });
  }
  return names;
}

async function writeKey(file: string, key: webcrypto.CryptoKey): Promise<void> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  const body =
    der
      .toString('base64')
      .match(/.{1,64}/g)
      ?.join('\n') ?? '';
  await writeFile(file, `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`, {
    mode: 0o600,
  });
  await chmod(file, 0o600);
}

function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}
