/**
 * The handling of one kind of resource by `warden apply`: reading it from Warden, comparing it,
 * and the calls that create, change and delete it. Each section has one implementation.
 */

import type { CustomMetricType } from '../detect/metric-value.ts';
import type { FleetApi } from './fleet-api.ts';
import type { CurrentFleet, DesiredFleet, Located, WardenFacts } from './fleet-model.ts';
import type { SectionName } from './fleet-schema.ts';
import type { FieldChange } from './json-diff.ts';
import type { FleetProblem } from './problems.ts';

/**
 * The position of each step in an apply run. Creates and changes go first, in dependency order: alert targets, thing
 * groups, policies, custom metrics, dimensions and mitigation actions before the audit setup and
 * the security profiles that name them, profiles before their attachments. Deletes come after,
 * in the reverse order, so nothing is deleted while a resource of the file still uses it.
 */
export const STEP_ORDER = {
  putAlertTarget: 10,
  putThingGroup: 20,
  putPolicy: 30,
  putCustomMetric: 40,
  putDimension: 50,
  putMitigationAction: 60,
  enableAuditChecks: 70,
  putScheduledAudit: 80,
  putAuditSuppression: 90,
  putSecurityProfile: 100,
  // Detaching first keeps a target under its limit of five profiles while profiles swap.
  detachSecurityProfile: 105,
  attachSecurityProfile: 110,
  deleteSecurityProfile: 130,
  deleteAuditSuppression: 140,
  deleteScheduledAudit: 150,
  disableAuditChecks: 160,
  deleteMitigationAction: 170,
  deleteDimension: 180,
  deleteCustomMetric: 190,
  deletePolicy: 200,
  deleteThingGroup: 210,
  deleteAlertTarget: 220,
} as const;

/**
 * The plan's action on a resource. `none` is a resource of the file that Warden already has as
 * written. `keep` is one that Warden has and the file lacks, kept because `--prune` was not given.
 */
export type ChangeAction = 'create' | 'change' | 'delete' | 'keep' | 'none';

/** One resource in the plan. */
export interface ResourceChange<T = any> {
  section: SectionName;
  key: string;
  /** The resource's name in the plan: its name, or check and resource for a suppression. */
  label: string;
  action: ChangeAction;
  /** The resource as the file has it, for every resource of the file. */
  source?: Located<T>;
  /** The desired resource in canonical form, for create and change. */
  desired?: Located<T>;
  /** The current resource in canonical form, for change, delete and keep. */
  current?: T;
  /** The fields a change sets; empty for the other actions. */
  fields: FieldChange[];
}

export interface StepContext {
  api: FleetApi;
  env: NodeJS.ProcessEnv;
}

/** One call (or a few that belong together) of an apply run. */
export interface ApplyStep {
  order: number;
  change: ResourceChange;
  /** The step's action beyond the change itself, such as `attach to "quarantine"`. */
  detail?: string;
  run(context: StepContext): Promise<void>;
}

/** Both states, for checks and steps that look beyond one resource. */
export interface PlanContext {
  desired: DesiredFleet;
  current: CurrentFleet;
  env: NodeJS.ProcessEnv;
}

/** Lookups canonical forms need, such as the type of a custom metric behaviors use. */
export interface CanonicalContext {
  customMetricType(name: string): CustomMetricType | undefined;
}

export interface ResourceKind<T = any> {
  section: SectionName;
  /** Singular noun for messages, such as `security profile`. */
  noun: string;
  /** Heading of the section in the plan, such as `Security profiles`. */
  title: string;
  keyOf(spec: T): string;
  /** The resource's name in the plan; its key when absent. */
  labelOf?(spec: T): string;
  /** Reads every resource of the kind from Warden in the file format, and records facts. */
  read(api: FleetApi, facts: WardenFacts): Promise<T[]>;
  /** The form compared and exported: defaults and empty members dropped, sets sorted. */
  canonical(spec: T, context: CanonicalContext): T;
  /** The value the plan compares, when it is not the canonical form. */
  comparable?(spec: T): unknown;
  /** The desired resource with the members the file leaves to Warden copied from current. */
  resolve?(desired: T, current: T | undefined): T;
  /**
   * Problems that stop the run before anything is applied, found against Warden's state. It is
   * called for every resource of the file, whatever its action.
   */
  check?(change: ResourceChange<T>, context: PlanContext): FleetProblem[];
  steps(change: ResourceChange<T>, context: PlanContext): ApplyStep[];
}

/** Creates a client request token for the create operations that require one. */
export function requestToken(): string {
  return crypto.randomUUID();
}

/** The calls of a kind whose create, change and delete are one call each. */
export interface SimpleCalls<T> {
  putOrder: number;
  deleteOrder: number;
  create(api: FleetApi, desired: T, context: StepContext): Promise<unknown>;
  update(api: FleetApi, desired: T, current: T, change: ResourceChange<T>): Promise<unknown>;
  remove(api: FleetApi, current: T): Promise<unknown>;
}

/** Builds the one step of a create, change or delete from the kind's calls. */
export function simpleSteps<T>(change: ResourceChange<T>, calls: SimpleCalls<T>): ApplyStep[] {
  const { desired, current } = change;
  switch (change.action) {
    case 'create': {
      if (desired === undefined) return [];
      const run = (context: StepContext) => calls.create(context.api, desired.spec, context);
      return [{ order: calls.putOrder, change, run: async (context) => void (await run(context)) }];
    }
    case 'change': {
      if (desired === undefined || current === undefined) return [];
      const run = (api: FleetApi) => calls.update(api, desired.spec, current, change);
      return [{ order: calls.putOrder, change, run: async ({ api }) => void (await run(api)) }];
    }
    case 'delete': {
      if (current === undefined) return [];
      const run = (api: FleetApi) => calls.remove(api, current);
      return [{ order: calls.deleteOrder, change, run: async ({ api }) => void (await run(api)) }];
    }
    case 'keep':
    case 'none':
      return [];
  }
}
