/**
 * One MQTT 3.1.1 connection of a virtual device, or of an adversary with its certificate, to
 * Warden's broker over mutual TLS. Every wait is bounded: a CONNACK, PUBACK or SUBACK that does
 * not come within the timeout, or a connection that closes first, fails the call.
 */

import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { BrokerTarget } from './broker-target.ts';

/** Milliseconds a CONNECT, PUBLISH or SUBSCRIBE may wait for its acknowledgement. */
export const ACK_TIMEOUT_MS = 5_000;

export interface SessionOptions {
  broker: BrokerTarget;
  clientId: string;
  certPem: string;
  keyPem: string;
  /** Local address to connect from; the system's choice when undefined. */
  localAddress?: string | undefined;
}

/** A connected client; `closed` is true once the broker or the caller ended the session. */
export class MqttSession {
  closed = false;
  /** Resolves when the session closes, by the broker or by the caller. */
  readonly whenClosed: Promise<void>;
  private readonly closeWaiters = new Set<(error: Error) => void>();

  private constructor(
    readonly clientId: string,
    readonly client: MqttClient,
  ) {
    let markClosed: () => void = () => undefined;
    this.whenClosed = new Promise((resolve) => (markClosed = resolve));
    client.on('close', () => {
      this.closed = true;
      markClosed();
      for (const fail of this.closeWaiters) fail(new Error(`Session "${clientId}" closed`));
      this.closeWaiters.clear();
    });
  }

  /**
   * Connects and resolves after the CONNACK.
   * @throws Error when the broker rejects the client or the connection fails or times out
   */
  static async open(options: SessionOptions): Promise<MqttSession> {
    const settings: IClientOptions = {
      clientId: options.clientId,
      protocolVersion: 4,
      cert: options.certPem,
      key: options.keyPem,
      ca: options.broker.serverCaPem,
      reconnectPeriod: 0,
      connectTimeout: ACK_TIMEOUT_MS,
    };
    if (options.localAddress !== undefined) {
      (settings as { localAddress?: string }).localAddress = options.localAddress;
    }
    const client = mqtt.connect(options.broker.url, settings);
    // Errors after the first one close the session, which callers see through `closed`.
    client.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      const onConnect = () => {
        client.off('error', onError);
        client.off('close', onClose);
        resolve();
      };
      const onError = (error: Error) => {
        client.off('connect', onConnect);
        client.off('close', onClose);
        client.end(true);
        reject(error);
      };
      const onClose = () => onError(new Error('Connection closed before CONNACK'));
      client.once('connect', onConnect);
      client.once('error', onError);
      client.once('close', onClose);
    });
    return new MqttSession(options.clientId, client);
  }

  /** Publishes at QoS 1 and resolves after the PUBACK. */
  publish(topic: string, payload: string | Buffer, retain = false): Promise<void> {
    return this.bounded(`publish to "${topic}"`, () =>
      this.client.publishAsync(topic, payload, { qos: 1, retain }).then(() => undefined),
    );
  }

  /**
   * Subscribes at QoS 1 and returns the granted QoS of each filter; 128 marks a filter the broker
   * rejected.
   */
  subscribe(filters: string[]): Promise<number[]> {
    return this.bounded(`subscribe to ${filters.length} filters`, async () => {
      try {
        const granted = await this.client.subscribeAsync(filters, { qos: 1 });
        return filters.map((filter) => granted.find((entry) => entry.topic === filter)?.qos ?? 128);
      } catch (error) {
        // mqtt.js 5 rejects the promise when the SUBACK rejects any filter, and attaches the packet.
        const packet = (error as { packet?: { granted?: number[] } }).packet;
        if (packet?.granted) return packet.granted.map((qos) => (qos & 0x80 ? 128 : qos));
        throw error;
      }
    });
  }

  /** Unsubscribes and resolves after the UNSUBACK. */
  unsubscribe(filters: string[]): Promise<void> {
    return this.bounded(`unsubscribe from ${filters.length} filters`, () =>
      this.client.unsubscribeAsync(filters).then(() => undefined),
    );
  }

  /** Sends DISCONNECT when still connected, then releases the socket. */
  async close(): Promise<void> {
    if (this.closed) {
      this.client.end(true);
      return;
    }
    await this.client.endAsync().catch(() => this.client.end(true));
  }

  private bounded<T>(what: string, operation: () => Promise<T>): Promise<T> {
    if (this.closed) {
      return Promise.reject(new Error(`Cannot ${what}: session "${this.clientId}" is closed`));
    }
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => finish(new Error(`Timed out after ${ACK_TIMEOUT_MS} ms waiting to ${what}`)),
        ACK_TIMEOUT_MS,
      );
      const finish = (error: Error | undefined, value?: T) => {
        clearTimeout(timer);
        this.closeWaiters.delete(finish);
        if (error) reject(error);
        else resolve(value as T);
      };
      this.closeWaiters.add(finish);
      operation().then(
        (value) => finish(undefined, value),
        (error: Error) => finish(error),
      );
    });
  }
}
