import { createHmac } from 'node:crypto';
import { techniquesForViolation } from '../attack/catalog.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { AlertMessage, AlertTargetConfig } from './alert-target.ts';
import { targetNameOfArn } from './alert-target.ts';
import type { SecurityProfile, StoredViolationEvent } from './detect-records.ts';

export interface AlertDispatcherOptions {
  targets: AlertTargetConfig[];
  /** Publishes on Warden's own broker, for MQTT targets. */
  publish: (topic: string, payload: Buffer) => Promise<void>;
  clock: Clock;
  logger: Logger;
  /** Attempts per webhook delivery, with doubling delays from 500 ms. */
  maxAttempts?: number;
  fetch?: typeof fetch;
}

/**
 * Sends violation events to the alert targets their profile names. Every event is logged;
 * events of behaviors with `suppressAlerts` go nowhere else, as in Device Defender. Delivery is
 * asynchronous and never blocks or fails evaluation; failures are retried, then logged.
 */
export class AlertDispatcher {
  private readonly targets = new Map<string, AlertTargetConfig>();
  private readonly warned = new Set<string>();
  private pending = new Set<Promise<void>>();

  constructor(private readonly options: AlertDispatcherOptions) {
    for (const target of options.targets) this.targets.set(target.name, target);
  }

  /**
   * Adds a target or replaces the one of the same name, for alerts dispatched from now on.
   * Deliveries already started finish with the target they started with.
   */
  putTarget(target: AlertTargetConfig): void {
    this.targets.set(target.name, target);
    // An ARN that named no target may name this one now, and a later removal warns again.
    this.warned.clear();
  }

  /** Removes a target and returns whether it existed. Alerts for its name are then only logged. */
  deleteTarget(name: string): boolean {
    this.warned.clear();
    return this.targets.delete(name);
  }

  /** Returns whether a target of this name is configured. */
  hasTarget(name: string): boolean {
    return this.targets.has(name);
  }

  dispatch(event: StoredViolationEvent, profile: SecurityProfile | undefined): void {
    if (event.behavior.suppressAlerts === true || !profile) return;
    const message = alertMessage(event);
    for (const alertTarget of Object.values(profile.alertTargets)) {
      const name = targetNameOfArn(alertTarget.alertTargetArn);
      const target = name === undefined ? undefined : this.targets.get(name);
      if (!target) {
        this.warnOnce(alertTarget.alertTargetArn, profile.securityProfileName);
        continue;
      }
      this.track(this.deliver(target, message, message.violationId));
    }
  }

  /**
   * Sends any JSON message, such as an audit notification, to the alert target an SNS topic ARN
   * names. Returns false when no configured target has that name.
   */
  sendToArn(arn: string, message: object, context: string): boolean {
    const name = targetNameOfArn(arn);
    const target = name === undefined ? undefined : this.targets.get(name);
    if (!target) {
      this.warnOnce(arn, context);
      return false;
    }
    this.track(this.deliver(target, message, context));
    return true;
  }

  /** Resolves when every delivery started so far has finished; used at shutdown and in tests. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private track(delivery: Promise<void>): void {
    this.pending.add(delivery);
    void delivery.finally(() => this.pending.delete(delivery));
  }

  private async deliver(
    target: AlertTargetConfig,
    message: object,
    context: string,
  ): Promise<void> {
    const body = Buffer.from(JSON.stringify(message));
    try {
      if (target.type === 'mqtt') await this.options.publish(target.topic, body);
      else await this.postWebhook(target, body);
    } catch (error) {
      this.options.logger.error(
        { err: error, target: target.name, context },
        'alert delivery failed',
      );
    }
  }

  private async postWebhook(
    target: Extract<AlertTargetConfig, { type: 'webhook' }>,
    body: Buffer,
  ): Promise<void> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-warden-timestamp': String(this.options.clock.now()),
    };
    if (target.secret !== undefined) {
      const signed = `${headers['x-warden-timestamp']}.${body.toString('utf8')}`;
      headers['x-warden-signature'] =
        `sha256=${createHmac('sha256', target.secret).update(signed).digest('hex')}`;
    }
    const attempts = this.options.maxAttempts ?? 4;
    const send = this.options.fetch ?? fetch;
    for (let attempt = 1; ; attempt++) {
      const response = await send(target.url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(5000),
      }).catch((error: unknown) => error as Error);
      if (!(response instanceof Error) && response.ok) return;
      const reason = response instanceof Error ? response.message : `HTTP ${response.status}`;
      if (attempt >= attempts)
        throw new Error(`Webhook "${target.name}" failed after ${attempt} attempts: ${reason}`);
      await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** (attempt - 1)));
    }
  }

  private warnOnce(arn: string, context: string): void {
    if (this.warned.has(arn)) return;
    this.warned.add(arn);
    this.options.logger.warn(
      { alertTargetArn: arn, context },
      'alert target names no configured Warden alert target; alerts for it are only logged',
    );
  }
}

function alertMessage(event: StoredViolationEvent): AlertMessage {
  const message: AlertMessage = {
    violationEventTime: event.time,
    thingName: event.thingName,
    behavior: event.behavior,
    violationEventType: event.type,
    violationId: event.violationId,
    securityProfileName: event.securityProfileName,
    techniques: techniquesForViolation(event.behavior.metric ?? ''),
  };
  if (event.metricValue !== undefined) message.metricValue = event.metricValue;
  return message;
}
