/**
 * The load generator, run as a child process of run.ts so the devices' MQTT and TLS work does
 * not share the server's event loop. It connects the devices, runs the phases that run.ts
 * requests and sends the results back over the IPC channel.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { performance } from 'node:perf_hooks';
import { BenchDevice, deviceSubscriptions, PhaseRecorder, runPhase } from './closed-loop.ts';
import type { ClientCommand, ClientEvent, DeviceCredentials } from './protocol.ts';
import { FIRST_REPORT_ID, reportPayload } from './report-payload.ts';

let devices: BenchDevice[] = [];

function send(event: ClientEvent): void {
  process.send?.(event);
}

async function connectDevice(
  mqttUrl: string,
  serverCaPem: string,
  credentials: DeviceCredentials,
): Promise<BenchDevice> {
  const client = mqtt.connect(mqttUrl, {
    clientId: credentials.thingName,
    protocolVersion: 4,
    cert: credentials.certPem,
    key: credentials.keyPem,
    ca: serverCaPem,
    reconnectPeriod: 0,
    connectTimeout: 15_000,
    keepalive: 120,
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
    client.once('close', () => reject(new Error('Connection closed before CONNACK')));
  });
  const grants = await client.subscribeAsync(deviceSubscriptions(credentials.thingName), {
    qos: 1,
  });
  const refused = grants.filter((grant) => grant.qos !== 1).map((grant) => grant.topic);
  if (refused.length > 0) {
    client.end(true);
    throw new Error(`Subscription rejected by the broker for "${refused.join('", "')}"`);
  }
  client.removeAllListeners('error');
  client.on('error', () => undefined);
  return new BenchDevice(credentials.thingName, client);
}

async function connectAll(command: Extract<ClientCommand, { type: 'connect' }>): Promise<void> {
  const startedAt = performance.now();
  const queue = [...command.devices];
  let failed = 0;
  let firstError: string | undefined;
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      try {
        devices.push(await connectDevice(command.mqttUrl, command.serverCaPem, next));
      } catch (error) {
        failed++;
        firstError ??= `${next.thingName}: ${(error as Error).message}`;
      }
    }
  };
  await Promise.all(Array.from({ length: command.connectConcurrency }, worker));
  const event: ClientEvent = {
    type: 'connected',
    devices: devices.length,
    failed,
    connectMs: performance.now() - startedAt,
  };
  if (firstError !== undefined) event.firstError = firstError;
  send(event);
}

async function run(command: Extract<ClientCommand, { type: 'run' }>): Promise<void> {
  const recorder = new PhaseRecorder(
    command.phase,
    command.inflight,
    command.violateEvery,
    command.thinkMs,
  );
  const result = await runPhase(
    devices.slice(0, command.devices),
    recorder,
    {
      warmupMs: command.warmupMs,
      windowMs: command.windowMs,
      drainTimeoutMs: command.drainTimeoutMs,
      onWindowStart: () => send({ type: 'window-start', phase: command.phase }),
      onWindowEnd: () => send({ type: 'window-end', phase: command.phase }),
    },
    Buffer.byteLength(reportPayload(FIRST_REPORT_ID, false)),
  );
  send({ type: 'phase-done', result });
}

async function close(): Promise<void> {
  const clients: MqttClient[] = devices.map((device) => device.client);
  devices = [];
  await Promise.all(clients.map((client) => client.endAsync().catch(() => undefined)));
  send({ type: 'closed' });
  process.disconnect?.();
}

async function handle(command: ClientCommand): Promise<void> {
  if (command.type === 'connect') return connectAll(command);
  if (command.type === 'run') return run(command);
  return close();
}

process.on('message', (message: ClientCommand) => {
  handle(message).catch((error: unknown) =>
    send({ type: 'error', message: (error as Error).stack ?? String(error) }),
  );
});
