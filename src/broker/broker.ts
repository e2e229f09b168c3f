import {
  Aedes,
  type AedesPublishPacket,
  type AuthenticateError,
  type Client,
  type PublishPacket,
  type Subscription,
} from 'aedes';
import type { AddressInfo, Socket } from 'node:net';
import tls, { type TLSSocket } from 'node:tls';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { ConnectionEvent, ConnectionHistoryStore } from '../history/connection-event.ts';
import type { RegistryState } from '../registry/registry.ts';
import { admitCertificate, checkClientId } from './admission.ts';
import type { BrokerObserver } from './broker-observer.ts';
import { describeBan } from './enforcement/ban.ts';
import type { BrokerEnforcement } from './enforcement/broker-enforcement.ts';
import {
  SubscriptionPruner,
  type SubscriptionPersistence,
} from './enforcement/subscription-pruner.ts';
import type { ServerTls } from './server-tls.ts';
import { SessionAuthorizerFactory } from './session-authorizer.ts';
import type { Session } from './session.ts';

/** Handles a publish on a Device Defender report topic and resolves once the response is published. */
export type ReportHandler = (session: Session, topic: string, payload: Buffer) => Promise<void>;

export interface BrokerOptions {
  host: string;
  port: number;
  tls: ServerTls;
  registry: RegistryState;
  history: ConnectionHistoryStore;
  observer: BrokerObserver;
  clock: Clock;
  logger: Logger;
  onReport?: ReportHandler;
  /** Bans and publish throttles; without it none are enforced. */
  enforcement?: BrokerEnforcement;
}

// The thing name may span levels ("a/b"), so the intake can reject it with InvalidThingName on
// that name's /rejected topic rather than leave the device without a response.
const REPORT_TOPIC = /^\$aws\/things\/.+\/defender\/metrics\/(json|cbor)$/;

// A throttled PUBLISH is moved to this topic and dropped before delivery, because an
// authorizePublish error would make aedes close the connection instead.
const THROTTLED_TOPIC = '$SYS/warden/throttled';

/**
 * The embedded MQTT 3.1.1 broker on mutual TLS. Every client is admitted by its registered
 * certificate and every CONNECT, PUBLISH, SUBSCRIBE and delivery is authorized by the IoT
 * policies that apply to it. Every connection event goes to the connection history.
 */
export class WardenBroker {
  readonly sessions = new Map<Client, Session>();
  private readonly byClientId = new Map<string, Client>();
  private aedes!: Aedes;
  private server!: tls.Server;
  private readonly sockets = new Set<Socket>();
  private readonly authorizers: SessionAuthorizerFactory;
  private enforcement: BrokerEnforcement | undefined;
  private readonly pruner: SubscriptionPruner;

  constructor(private readonly options: BrokerOptions) {
    this.authorizers = new SessionAuthorizerFactory(options.registry, options.clock);
    this.pruner = new SubscriptionPruner(
      () => (this.aedes as unknown as { persistence: SubscriptionPersistence }).persistence,
      options.logger,
    );
    if (options.enforcement) this.useEnforcement(options.enforcement);
  }

  /** Enforces the bans and throttles of `enforcement` from the next CONNECT and PUBLISH on. */
  useEnforcement(enforcement: BrokerEnforcement): void {
    this.enforcement = enforcement;
    enforcement.attach({
      liveSessions: () => this.sessions.values(),
      dropSession: (session, reason) => this.dropSession(session, reason),
    });
  }

  async start(): Promise<AddressInfo> {
    this.aedes = await Aedes.createBroker({
      authenticate: (client, _username, _password, done) => void this.authenticate(client, done),
      authorizePublish: (client, packet, done) => this.authorizePublish(client, packet, done),
      authorizeSubscribe: (client, subscription, done) =>
        this.authorizeSubscribe(client, subscription, done),
      authorizeForward: (client, packet) => this.authorizeForward(client, packet),
    });
    this.aedes.on('clientDisconnect', (client) => this.disconnected(client, 'client-disconnected'));
    this.aedes.on('clientError', (client, error) => {
      const session = this.sessions.get(client);
      if (session) session.closeReason ??= 'client-error';
      this.options.logger.debug({ clientId: client.id, err: error }, 'mqtt client error');
    });
    this.watchRegistry();

    this.server = tls.createServer(
      {
        key: this.options.tls.keyPem,
        cert: this.options.tls.certPem,
        requestCert: true,
        rejectUnauthorized: false,
        minVersion: 'TLSv1.2',
      },
      (socket) => {
        socket.setNoDelay(true);
        this.aedes.handle(socket);
      },
    );
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    this.server.on('tlsClientError', (error) =>
      this.options.logger.debug({ err: error }, 'tls handshake failed'),
    );
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => resolve());
    });
    return this.server.address() as AddressInfo;
  }

  /**
   * Stops accepting connections, ends every session, then destroys the sockets that never sent
   * CONNECT, because `server.close` alone waits until every client leaves by itself.
   */
  async close(): Promise<void> {
    const serverClosed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await new Promise<void>((resolve) => this.aedes.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await serverClosed;
    this.enforcement?.stop();
  }

  /**
   * Resolves when the subscriptions that registry changes revoked so far are out of aedes's
   * topic tree. Removal takes a turn of the event loop, so a mitigation awaits this before it
   * reports its effect as in force.
   */
  settled(): Promise<void> {
    return this.pruner.settled();
  }

  /** Ends a session at once and records `reason` as the cause of its disconnect. */
  dropSession(session: Session, reason: string): void {
    this.options.logger.info(
      { clientId: session.clientId, certificateId: session.certificateId, reason },
      'dropping session',
    );
    this.disconnected(session.client, reason);
    session.client.close();
  }

  /** Publishes a message from Warden itself, such as a report response or an alert. */
  publish(topic: string, payload: Buffer, qos: 0 | 1 = 0): Promise<void> {
    const packet: PublishPacket = {
      cmd: 'publish',
      topic,
      payload,
      qos,
      retain: false,
      dup: false,
    };
    return new Promise((resolve, reject) =>
      this.aedes.publish(packet, (error) => (error ? reject(error) : resolve())),
    );
  }

  /**
   * Ends the live session of a client ID, for example for a mitigation action. With a
   * `reason`, the disconnect is recorded with it. Returns false when no session has that ID.
   */
  disconnectClient(clientId: string, reason?: string): boolean {
    const client = this.byClientId.get(clientId);
    if (!client) return false;
    const session = this.sessions.get(client);
    if (session && reason !== undefined) this.dropSession(session, reason);
    else client.close();
    return true;
  }

  private async authenticate(
    client: Client,
    done: (error: AuthenticateError | null, success: boolean | null) => void,
  ): Promise<void> {
    const socket = client.conn as TLSSocket;
    const now = this.options.clock.now();
    const base = {
      clientId: client.id,
      sourceIp: socket.remoteAddress ?? '',
      sourcePort: socket.remotePort ?? 0,
    };
    this.options.observer.connectAttempt(client.id, now);

    const refuse = async (
      reason: string,
      detail: string,
      certificateId?: string,
      thingName?: string,
    ) => {
      await this.record({
        ...base,
        time: now,
        type: 'connect-failure',
        reason,
        certificateId,
        thingName,
      });
      this.options.logger.info({ ...base, certificateId, reason, detail }, 'connection refused');
      const error = new Error(detail) as AuthenticateError;
      (error as { returnCode: number }).returnCode = 5;
      done(error, false);
    };

    const idProblem = checkClientId(client.id);
    if (idProblem) return refuse('invalid-client-id', idProblem);
    const admission = admitCertificate(socket, this.options.registry, this.options.clock);
    if (!admission.admitted)
      return refuse(admission.reason, admission.detail, admission.certificateId);
    const ban = this.enforcement?.activeBan({ ...base, certificateId: admission.certificateId });
    if (ban) return refuse('banned', describeBan(ban), admission.certificateId);

    const bound = this.authorizers.bind({
      clientId: client.id,
      certificateId: admission.certificateId,
      certificate: admission.certificate,
      sourceIp: base.sourceIp,
      domainName: socket.servername || undefined,
    });
    if (bound.authorizer.connect().decision !== 'allow') {
      return refuse(
        'connect-not-authorized',
        `No policy allows iot:Connect for client ID "${client.id}"`,
        admission.certificateId,
        bound.thingName,
      );
    }

    await this.admit(client, {
      ...base,
      certificateId: admission.certificateId,
      connectedAt: now,
      authorizer: bound.authorizer,
      identity: bound.identity,
      ...(bound.thingName === undefined ? {} : { thingName: bound.thingName }),
    });
    done(null, true);
  }

  private async admit(client: Client, fields: Omit<Session, 'client'>): Promise<void> {
    const previous = this.byClientId.get(client.id);
    const session: Session = { client, ...fields };
    const event = {
      clientId: session.clientId,
      certificateId: session.certificateId,
      thingName: session.thingName,
      sourceIp: session.sourceIp,
      sourcePort: session.sourcePort,
      time: session.connectedAt,
    };
    if (previous && previous !== client) {
      const old = this.sessions.get(previous);
      await this.record({
        ...event,
        type: 'takeover',
        reason: `taken over from ${old?.sourceIp ?? '?'}:${old?.sourcePort ?? 0}`,
      });
    }
    this.sessions.set(client, session);
    this.byClientId.set(client.id, client);
    await this.record({ ...event, type: 'connect-success' });
    this.options.observer.connected(session.identity, session.connectedAt, session.sourceIp);
  }

  private disconnected(client: Client, reason: string): void {
    const session = this.sessions.get(client);
    if (!session) return;
    this.sessions.delete(client);
    const current = this.byClientId.get(client.id);
    if (current === client) this.byClientId.delete(client.id);
    // A newer session with the same client ID took this one over (DUPLICATE_CLIENTID in AWS IoT).
    const takenOver = current !== undefined && current !== client;
    const recorded =
      reason === 'client-disconnected'
        ? (session.closeReason ?? (takenOver ? 'duplicate-client-id' : reason))
        : reason;
    const now = this.options.clock.now();
    void this.record({
      time: now,
      type: 'disconnect',
      clientId: session.clientId,
      certificateId: session.certificateId,
      thingName: session.thingName,
      sourceIp: session.sourceIp,
      sourcePort: session.sourcePort,
      reason: recorded,
    });
    this.options.observer.disconnected(session.identity, now);
  }

  private authorizePublish(
    client: Client | null,
    packet: PublishPacket,
    done: (error?: Error | null) => void,
  ): void {
    const session = client ? this.sessions.get(client) : undefined;
    if (!session) return done(new Error('Publish from a client without a session'));
    const now = this.options.clock.now();
    const denied = this.publishDenial(session, packet);
    if (denied !== undefined) {
      this.authorizationFailure(session, denied, packet.topic, now);
      // aedes closes an MQTT 3.1.1 connection whose publish fails (AUTH_ERROR in AWS IoT).
      session.closeReason = 'publish-not-authorized';
      return done(new Error(`Publish to "${packet.topic}" is not authorized`));
    }

    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    this.options.observer.messageSent(session.identity, packet.topic, payload.length, now);
    if (this.enforcement && !this.enforcement.admitPublish(session.identity)) {
      // The PUBACK of a QoS 1 message still goes out, so the device does not send it again.
      packet.topic = THROTTLED_TOPIC;
      packet.retain = false;
      return done(null);
    }
    done(null);
    if (this.options.onReport && REPORT_TOPIC.test(packet.topic)) {
      this.options.onReport(session, packet.topic, payload).catch((error: unknown) => {
        this.options.logger.error(
          { err: error, clientId: session.clientId, topic: packet.topic },
          'report handling failed',
        );
      });
    }
  }

  /** Returns the action a publish lacks: iot:Publish, or iot:RetainPublish when retained. */
  private publishDenial(session: Session, packet: PublishPacket): string | undefined {
    const { authorizer } = session;
    if (packet.topic.startsWith('$SYS')) return 'iot:Publish';
    if (authorizer.publish(packet.topic).decision !== 'allow') return 'iot:Publish';
    if (packet.retain && authorizer.retainPublish(packet.topic).decision !== 'allow') {
      return 'iot:RetainPublish';
    }
    return undefined;
  }

  private authorizeSubscribe(
    client: Client,
    subscription: Subscription,
    done: (error: Error | null, subscription?: Subscription | null) => void,
  ): void {
    const session = this.sessions.get(client);
    if (session && session.authorizer.subscribe(subscription.topic).decision === 'allow')
      return done(null, subscription);
    if (session)
      this.authorizationFailure(
        session,
        'iot:Subscribe',
        subscription.topic,
        this.options.clock.now(),
      );
    done(null, null);
  }

  private authorizeForward(client: Client, packet: AedesPublishPacket): AedesPublishPacket | null {
    const session = this.sessions.get(client);
    if (!session || packet.topic === THROTTLED_TOPIC) return null;
    const now = this.options.clock.now();
    if (session.authorizer.receive(packet.topic).decision !== 'allow') {
      this.authorizationFailure(session, 'iot:Receive', packet.topic, now);
      return null;
    }
    this.options.observer.messageReceived(
      session.identity,
      packet.topic,
      packet.payload.length,
      now,
    );
    return packet;
  }

  private authorizationFailure(
    session: Session,
    action: string,
    resource: string,
    time: number,
  ): void {
    this.options.observer.authorizationFailure(session.identity, resource, time);
    void this.record({
      time,
      type: 'authorization-failure',
      clientId: session.clientId,
      certificateId: session.certificateId,
      thingName: session.thingName,
      sourceIp: session.sourceIp,
      sourcePort: session.sourcePort,
      action,
      resource,
    });
  }

  private async record(event: ConnectionEvent): Promise<void> {
    try {
      await this.options.history.append(event);
    } catch (error) {
      this.options.logger.error(
        { err: error, event: event.type, clientId: event.clientId },
        'recording a connection event failed',
      );
    }
  }

  /**
   * Applies registry changes to live sessions at once: a certificate or CA that is no longer
   * ACTIVE drops its sessions, and policy or attachment changes rebind every authorizer and
   * remove the subscriptions the new one does not allow. Publishes are checked per message.
   */
  private watchRegistry(): void {
    const registry = this.options.registry;
    const recheck = () => {
      for (const session of this.sessions.values()) this.recheck(session);
    };
    registry.on('certificate-changed', recheck);
    registry.on('ca-certificate-changed', recheck);
    registry.on('policy-changed', recheck);
    registry.on('attachments-changed', recheck);
    registry.on('thing-changed', recheck);
  }

  private recheck(session: Session): void {
    const socket = session.client.conn as TLSSocket;
    const admission = admitCertificate(socket, this.options.registry, this.options.clock);
    if (!admission.admitted) return this.dropSession(session, admission.reason);
    const bound = this.authorizers.bind({
      clientId: session.clientId,
      certificateId: admission.certificateId,
      certificate: admission.certificate,
      sourceIp: session.sourceIp,
      domainName: socket.servername || undefined,
    });
    session.authorizer = bound.authorizer;
    this.pruner.prune(session);
  }
}
