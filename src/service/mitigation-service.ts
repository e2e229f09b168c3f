import type { Route } from '../api/route.ts';
import type { AuditCheck } from '../audit/audit-check.ts';
import type { AuditService } from '../audit/audit-service.ts';
import type { AuditStore } from '../audit/audit-store.ts';
import type { WardenBroker } from '../broker/broker.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { AlertDispatcher } from '../detect/alerts.ts';
import type { DetectState } from '../detect/detect-state.ts';
import type { Evaluator } from '../detect/evaluator.ts';
import { autoResponseRoutes } from '../mitigate/api/auto-response-api.ts';
import { executionRoutes } from '../mitigate/api/executions-api.ts';
import { MitigationActions } from '../mitigate/api/mitigation-actions.ts';
import { mitigationRoutes } from '../mitigate/api/mitigation-routes.ts';
import { AutoResponder } from '../mitigate/auto-response/auto-responder.ts';
import { AutoResponseRules } from '../mitigate/auto-response/auto-response-rules.ts';
import { resolverTargets } from '../mitigate/auto-response/resolver-targets.ts';
import { startLiveMitigation, type LiveMitigation } from '../mitigate/live-mitigation.ts';
import { AuditMitigationTasks } from '../mitigate/tasks/audit-mitigation-tasks.ts';
import { DetectMitigationTasks } from '../mitigate/tasks/detect-mitigation-tasks.ts';
import type { RegistryState } from '../registry/registry.ts';
import type { SqliteHandle } from '../store/sqlite-database.ts';
import { SqliteMitigationStore } from '../store/sqlite-mitigation-store.ts';

export interface MitigationServiceOptions {
  db: SqliteHandle;
  registry: RegistryState;
  broker: WardenBroker;
  alerts: AlertDispatcher;
  detect: DetectState;
  evaluator: Evaluator;
  audit: AuditService;
  auditStore: AuditStore;
  checks: readonly AuditCheck[];
  clock: Clock;
  logger: Logger;
}

/**
 * Mitigation in one Warden process: actions applied to the live broker, their definitions, the
 * audit and Detect mitigation tasks, automatic response to violations and findings, and rollback.
 */
export class MitigationService {
  readonly store: SqliteMitigationStore;
  live!: LiveMitigation;
  actions!: MitigationActions;
  auditTasks!: AuditMitigationTasks;
  detectTasks!: DetectMitigationTasks;
  rules!: AutoResponseRules;
  responder!: AutoResponder;

  constructor(private readonly options: MitigationServiceOptions) {
    this.store = new SqliteMitigationStore(options.db);
  }

  /** Loads bans and throttles into the broker; call before the broker accepts connections. */
  async start(): Promise<void> {
    const { registry, broker, alerts, clock, logger, detect } = this.options;
    const log = logger.child({ component: 'mitigate' });
    this.live = await startLiveMitigation({
      registry,
      broker,
      alerts,
      store: this.store,
      clock,
      logger: log,
    });
    this.actions = new MitigationActions(this.store, clock, registry.arns);

    const common = {
      store: this.store,
      actions: this.actions,
      mitigator: this.live.mitigator,
      clock,
      logger: log,
    };
    this.auditTasks = new AuditMitigationTasks({
      ...common,
      audit: this.options.auditStore,
      resolveTarget: (finding) => this.live.resolver.fromFinding(finding),
    });
    this.detectTasks = new DetectMitigationTasks({
      ...common,
      detect,
      resolveTarget: (violation) => this.live.resolver.fromViolation(violation),
    });
    await this.auditTasks.recoverInterrupted();
    await this.detectTasks.recoverInterrupted();
    this.startAutoResponse(log);
  }

  private startAutoResponse(logger: Logger): void {
    const { clock, detect, alerts } = this.options;
    this.rules = new AutoResponseRules({
      store: this.store,
      clock,
      checkNames: this.options.checks.map((check) => check.name),
      hasAlertTarget: (name) => this.options.alerts.hasTarget(name),
    });
    this.responder = new AutoResponder({
      store: this.store,
      rules: this.rules,
      mitigator: this.live.mitigator,
      targets: resolverTargets(this.live.resolver, (id) => detect.activeViolations.get(id)),
      findings: this.options.auditStore,
      alerts,
      clock,
      logger: logger.child({ component: 'auto-response' }),
    });
    this.options.evaluator.onViolationEvent((event) => this.responder.handleViolationEvent(event));
    this.options.audit.tasks.onFinished((task) => this.responder.handleAuditTask(task));
  }

  routes(): Route[] {
    return [
      ...mitigationRoutes({
        actions: this.actions,
        auditTasks: this.auditTasks,
        detectTasks: this.detectTasks,
      }),
      ...autoResponseRoutes({
        rules: this.rules,
        guard: this.responder.guard,
        events: this.responder.events,
        clock: this.options.clock,
      }),
      ...executionRoutes(this.store, this.live.mitigator),
    ];
  }

  /** Deletes executions and auto-response records older than `before`; maintenance calls it. */
  async prune(before: number): Promise<number> {
    return (await this.store.pruneExecutions(before)) + (await this.responder.prune(before));
  }

  async stop(): Promise<void> {
    await this.responder.drain();
    await this.auditTasks.stop();
    await this.detectTasks.stop();
    this.live.stop();
  }
}
