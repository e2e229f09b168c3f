import { z } from 'zod';
import { paginate } from '../../api/pagination.ts';
import { Query } from '../../api/query.ts';
import type { Route } from '../../api/route.ts';
import { parseBody, parseParam } from '../../api/validation.ts';
import type { Clock } from '../../core/clock.ts';
import { notFound } from '../../core/errors.ts';
import type { SqliteAlertTargetStore } from '../../store/sqlite-alert-target-store.ts';
import type { AlertTargetConfig } from '../alert-target.ts';
import type { AlertDispatcher } from '../alerts.ts';

/** The name rule of the alert targets file: the last part of an SNS topic ARN selects it. */
export const alertTargetName = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1-256 characters of A-Z, a-z, 0-9, "_" and "-"');

export const webhookUrl = z
  .string()
  .url()
  .refine((value) => /^https?:\/\//.test(value), 'must be an http:// or https:// URL');

/** HMAC-SHA256 key of a webhook; short keys are rejected because they are easy to guess. */
export const webhookSecret = z.string().min(16, 'must be at least 16 characters').max(4096);

export const mqttTopic = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[^#+]+$/, 'must be a topic name without wildcards');

/** The body of PutAlertTarget: the target without its name, which is in the path. */
export const putAlertTargetBody = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('webhook'), url: webhookUrl, secret: webhookSecret.optional() }),
  z.strictObject({ type: z.literal('mqtt'), topic: mqttTopic }),
]);

/** An alert target as the routes return it: a webhook's secret is never returned. */
export type AlertTargetView =
  | { name: string; type: 'webhook'; url: string; secretConfigured: boolean }
  | { name: string; type: 'mqtt'; topic: string };

export interface AlertTargetApiOptions {
  store: SqliteAlertTargetStore;
  alerts: AlertDispatcher;
  clock: Clock;
}

/**
 * Warden's routes for its alert targets, which are not AWS IoT operations: AWS sends alerts to
 * SNS topics, and Warden sends them to the webhook or MQTT target named like the topic. Each
 * change is stored first and then handed to the dispatcher, so alerts use it at once.
 */
export function alertTargetRoutes(options: AlertTargetApiOptions): Route[] {
  const { store, alerts, clock } = options;
  const nameOf = (params: Record<string, string>) =>
    parseParam(alertTargetName, 'name', params['name']);
  const require = (name: string) => {
    const target = store.get(name);
    if (target === undefined) throw notFound(`Alert target "${name}" does not exist`);
    return target;
  };
  return [
    {
      operation: 'PutAlertTarget',
      method: 'PUT',
      path: '/warden/alert-targets/{name}',
      handler: ({ params, body }) => {
        const name = nameOf(params);
        const target = { name, ...parseBody(putAlertTargetBody, body) } as AlertTargetConfig;
        store.put(target, clock.now());
        alerts.putTarget(target);
        return { body: alertTargetView(target) };
      },
    },
    {
      operation: 'GetAlertTarget',
      method: 'GET',
      path: '/warden/alert-targets/{name}',
      handler: ({ params }) => ({ body: alertTargetView(require(nameOf(params))) }),
    },
    {
      operation: 'ListAlertTargets',
      method: 'GET',
      path: '/warden/alert-targets',
      handler: ({ query }) => {
        const q = new Query(query);
        const maxResults = q.integer('maxResults', { min: 1, max: 250 }) ?? 50;
        const page = paginate(store.list(), q.string('nextToken'), maxResults);
        return {
          body: { alertTargets: page.items.map(alertTargetView), nextToken: page.nextToken },
        };
      },
    },
    {
      operation: 'DeleteAlertTarget',
      method: 'DELETE',
      path: '/warden/alert-targets/{name}',
      handler: ({ params }) => {
        const name = require(nameOf(params)).name;
        store.delete(name);
        alerts.deleteTarget(name);
      },
    },
  ];
}

/** Renders a target without its secret. */
export function alertTargetView(target: AlertTargetConfig): AlertTargetView {
  if (target.type === 'mqtt') return { name: target.name, type: 'mqtt', topic: target.topic };
  return {
    name: target.name,
    type: 'webhook',
    url: target.url,
    secretConfigured: target.secret !== undefined,
  };
}
