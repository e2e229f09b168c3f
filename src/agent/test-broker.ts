/**
 * Test support for the agent: a throwaway PKI made with the `openssl` command and an aedes MQTT
 * broker behind a TLS server that requires client certificates, listening on 127.0.0.1 port 0.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server, type TLSSocket } from 'node:tls';

import { Aedes, type AedesPublishPacket } from 'aedes';

/** Paths of the PEM files of one test PKI, all in `dir`. */
export interface TestPki {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  deviceCert: string;
  deviceKey: string;
  /** A device certificate and key signed by a second CA that the broker does not trust. */
  strangerCert: string;
  strangerKey: string;
  remove(): void;
}

/**
 * Creates a CA, a server certificate for IP 127.0.0.1 and device certificates whose common name
 * is `thingName`, with P-256 keys valid for one day.
 *
 * @throws {Error} when `openssl` is missing or fails
 */
export function createTestPki(thingName: string): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'warden-agent-pki-'));
  const path = (name: string) => join(dir, name);

  createCa(dir, 'ca', 'Warden test CA');
  createCa(dir, 'stranger-ca', 'Untrusted test CA');
  issue(
    dir,
    'ca',
    'server',
    '127.0.0.1',
    'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n',
  );
  issue(dir, 'ca', 'device', thingName, 'extendedKeyUsage=clientAuth\n');
  issue(dir, 'stranger-ca', 'stranger', thingName, 'extendedKeyUsage=clientAuth\n');

  return {
    dir,
    caCert: path('ca.pem'),
    serverCert: path('server.pem'),
    serverKey: path('server.key'),
    deviceCert: path('device.pem'),
    deviceKey: path('device.key'),
    strangerCert: path('stranger.pem'),
    strangerKey: path('stranger.key'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function createCa(dir: string, name: string, commonName: string): void {
  openssl(dir, [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '1', '-subj', `/CN=${commonName}`,
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]); // prettier-ignore
}

function issue(
  dir: string,
  ca: string,
  name: string,
  commonName: string,
  extensions: string,
): void {
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(dir, [
    'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${commonName}`,
  ]); // prettier-ignore
  openssl(dir, [
    'x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`,
    '-set_serial', String(Date.now()), '-days', '1', '-extfile', `${name}.ext`,
    '-out', `${name}.pem`,
  ]); // prettier-ignore
}

/** A running test broker. */
export interface TestBroker {
  broker: Aedes;
  endpoint: string;
  /** Common names of the client certificates of every TLS session the server accepted. */
  peers: string[];
  /** Publishes `payload` to `topic` from inside the broker, as the service sends its responses. */
  publish(topic: string, payload: Buffer | string): Promise<void>;
  /** Calls `handler` with the payload of every message a client publishes to `topic`. */
  onPublish(topic: string, handler: (payload: Buffer) => void): Promise<void>;
  /** Destroys every open client connection, as a network failure would. */
  dropConnections(): void;
  close(): Promise<void>;
}

/** Starts aedes behind a TLS server that requires a client certificate signed by the test CA. */
export async function startTestBroker(pki: TestPki): Promise<TestBroker> {
  const broker = await Aedes.createBroker();
  const peers: string[] = [];
  const sockets = new Set<TLSSocket>();
  const server: Server = createServer(
    {
      key: readFileSync(pki.serverKey),
      cert: readFileSync(pki.serverCert),
      ca: readFileSync(pki.caCert),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (socket: TLSSocket) => {
      peers.push(String(socket.getPeerCertificate().subject?.CN ?? ''));
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      broker.handle(socket);
    },
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');

  const { port } = server.address() as AddressInfo;
  return {
    broker,
    endpoint: `mqtts://127.0.0.1:${port}`,
    peers,
    publish: (topic, payload) => publishFromBroker(broker, topic, payload),
    onPublish: (topic, handler) => subscribeInBroker(broker, topic, handler),
    dropConnections: () => sockets.forEach((socket) => socket.destroy()),
    close: () => closeBroker(broker, server),
  };
}

function publishFromBroker(broker: Aedes, topic: string, payload: Buffer | string): Promise<void> {
  const packet = { cmd: 'publish', topic, payload, qos: 0, retain: false, dup: false } as const;
  return new Promise((resolve, reject) => {
    broker.publish(packet, (error) => (error ? reject(error) : resolve()));
  });
}

function subscribeInBroker(
  broker: Aedes,
  topic: string,
  handler: (payload: Buffer) => void,
): Promise<void> {
  const deliver = (packet: AedesPublishPacket, callback: () => void) => {
    handler(Buffer.from(packet.payload));
    callback();
  };
  return new Promise((resolve) => broker.subscribe(topic, deliver, resolve));
}

async function closeBroker(broker: Aedes, server: Server): Promise<void> {
  await new Promise<void>((resolve) => broker.close(() => resolve()));
  await new Promise<void>((resolve, reject) =>
    server.close((error) => (error ? reject(error) : resolve())),
  );
}
