/**
 * Warden's alert targets (`/warden/alert-targets`). Warden never returns a webhook secret, so
 * the file names the environment variable that contains it (`secretEnv`) and the plan compares
 * only whether a secret is set.
 *
 * NOTE: a new value in an unchanged variable is not detected, so it is not sent. To rotate a
 * secret, apply once without `secretEnv` and once with it.
 */

import { segment } from '../fleet-api.ts';
import type { AlertTargetSpec } from '../fleet-schema.ts';
import type { FleetProblem } from '../problems.ts';
import { STEP_ORDER, type ResourceKind, type StepContext } from '../resource-kind.ts';

/** Secrets shorter than this are rejected by Warden, as in the alert targets file. */
const MIN_SECRET_LENGTH = 16;

/** Returns the variable `warden export` names for a webhook secret: `WARDEN_ALERT_SECRET_X`. */
export function defaultSecretEnv(name: string): string {
  return `WARDEN_ALERT_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

export const alertTargetsKind: ResourceKind<AlertTargetSpec> = {
  section: 'alertTargets',
  noun: 'alert target',
  title: 'Alert targets',
  keyOf: (spec) => spec.name,

  async read(api) {
    const views = await api.list({
      operation: 'ListAlertTargets',
      path: '/warden/alert-targets',
      items: 'alertTargets',
    });
    return views.map((view): AlertTargetSpec => {
      if (view.type === 'mqtt') return { name: view.name, type: 'mqtt', topic: view.topic };
      const spec: AlertTargetSpec = { name: view.name, type: 'webhook', url: view.url };
      if (view.secretConfigured === true) spec.secretEnv = defaultSecretEnv(view.name);
      return spec;
    });
  },

  canonical: (spec) => ({ ...spec }),

  comparable(spec) {
    if (spec.type === 'mqtt') return spec;
    return {
      name: spec.name,
      type: spec.type,
      url: spec.url,
      secret: spec.secretEnv !== undefined,
    };
  },

  check(change, context) {
    const desired = change.desired;
    const spec = desired?.spec;
    if (desired === undefined || spec?.type !== 'webhook' || spec.secretEnv === undefined)
      return [];
    const sends = change.action === 'create' || change.action === 'change';
    const secret = context.env[spec.secretEnv];
    const problem = (message: string): FleetProblem[] => [
      { code: 'missing-secret', file: desired.file, path: `${desired.path}.secretEnv`, message },
    ];
    // An unchanged target sends no secret, so an unset variable is fine then; a short one is not.
    if (!sends && (secret === undefined || secret === '')) return [];
    if (secret === undefined || secret === '')
      return problem(
        `environment variable "${spec.secretEnv}" is not set; set it to the webhook secret`,
      );
    if (secret.length < MIN_SECRET_LENGTH)
      return problem(
        `environment variable "${spec.secretEnv}" must hold at least ${MIN_SECRET_LENGTH} characters, got ${secret.length}`,
      );
    return [];
  },

  steps(change) {
    const name = change.key;
    if (change.action === 'delete') {
      return [
        {
          order: STEP_ORDER.deleteAlertTarget,
          change,
          run: async ({ api }) => {
            await api.write(
              'DeleteAlertTarget',
              'DELETE',
              `/warden/alert-targets/${segment(name)}`,
            );
          },
        },
      ];
    }
    const spec = change.desired?.spec;
    if (spec === undefined || (change.action !== 'create' && change.action !== 'change')) return [];
    return [
      {
        order: STEP_ORDER.putAlertTarget,
        change,
        run: async (context) => {
          await context.api.write(
            'PutAlertTarget',
            'PUT',
            `/warden/alert-targets/${segment(name)}`,
            putBody(spec, context),
          );
        },
      },
    ];
  },
};

function putBody(spec: AlertTargetSpec, context: StepContext): object {
  if (spec.type === 'mqtt') return { type: 'mqtt', topic: spec.topic };
  const secret = spec.secretEnv === undefined ? undefined : context.env[spec.secretEnv];
  return { type: 'webhook', url: spec.url, ...(secret === undefined ? {} : { secret }) };
}
