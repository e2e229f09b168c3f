/**
 * The adversary emulation suite. Warden gets its shipped default setup (`warden apply -f
 * defaults/security-setup.yaml`); a clean virtual fleet must raise nothing; then every scenario
 * runs. Each published ATT&CK row of Device Defender needs a finding, violation or mitigation
 * that carries its technique. The suite prints the row table with the time to detect.
 */

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CATALOG, publishedRows, techniquesForAction } from '../attack/catalog.ts';
import type { TechniqueRef } from '../attack/catalog-types.ts';
import { CapturedStream } from '../cli/audit/test-streams.ts';
import { runApplyCommand } from '../cli/apply/apply-command.ts';
import { TEST_ROOT_ENV } from '../testing/credentials.ts';
import { REPO_ROOT } from '../testing/shared-reference.ts';
import { runSimulation } from './run-simulation.ts';
import { SCENARIOS } from './scenarios/index.ts';
import { SimulatedClock } from './simulated-clock.ts';
import type { SimulationResult } from './simulation-result.ts';
import {
  apiOk,
  closeBucket,
  optionsFor,
  startSimulationWarden,
  type SimulationWarden,
} from './simulation-fixture.ts';

const SETUP_FILE = path.join(REPO_ROOT, 'defaults', 'security-setup.yaml');
const TICKS = 40;

/** One thing Warden raised, with when the suite first saw it (epoch ms, wall clock). */
interface Signal {
  kind: 'violation' | 'finding' | 'mitigation';
  capability: string;
  subject: string;
  techniques: TechniqueRef[];
  seenAt: number;
}

async function applyDefaults(setup: SimulationWarden): Promise<void> {
  const stdout = new CapturedStream();
  const stderr = new CapturedStream();
  const argv = ['-f', SETUP_FILE, '--yes', '--endpoint', setup.warden.endpoints.http];
  const code = await runApplyCommand(argv, { stdout, stderr, env: { ...TEST_ROOT_ENV } });
  assert.equal(code, 0, `${stdout.text}${stderr.text}`);
  // A well-run account logs; the logging scenario switches it off.
  await apiOk(setup.warden, 'POST', '/v2LoggingOptions', {
    roleArn: 'arn:aws:iam::123456789012:role/warden-logging',
    defaultLogLevel: 'ERROR',
    disableAllLogs: false,
  });
}

/**
 * Watches active violations while a run goes on, closing a cloud bucket every half second, so a
 * run of a few seconds covers enough 5-minute buckets for a silence of more than 15 minutes.
 */
function watchViolations(setup: SimulationWarden, signals: Map<string, Signal>) {
  let stopped = false;
  let lastClose = Date.now();
  const poll = async () => {
    while (!stopped) {
      if (Date.now() - lastClose >= 500) {
        await closeBucket(setup);
        lastClose = Date.now();
      }
      await recordViolations(setup, signals);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const running = poll();
  return async () => {
    stopped = true;
    await running;
    await closeBucket(setup);
    await recordViolations(setup, signals);
  };
}

async function recordViolations(setup: SimulationWarden, signals: Map<string, Signal>) {
  const body = await apiOk(setup.warden, 'GET', '/active-violations?maxResults=250');
  for (const violation of body.activeViolations) {
    const key = `violation:${violation.thingName}:${violation.behavior.metric}`;
    if (signals.has(key)) continue;
    signals.set(key, {
      kind: 'violation',
      capability: violation.behavior.metric,
      subject: violation.thingName,
      techniques: violation.techniques,
      seenAt: Date.now(),
    });
  }
}

async function auditAll(setup: SimulationWarden, signals: Map<string, Signal>) {
  const configuration = await apiOk(setup.warden, 'GET', '/audit/configuration');
  const checks = Object.keys(configuration.auditCheckConfigurations);
  const started = await apiOk(setup.warden, 'POST', '/audit/tasks', { targetCheckNames: checks });
  for (let attempt = 0; attempt < 600; attempt += 1) {
    const task = await apiOk(setup.warden, 'GET', `/audit/tasks/${started.taskId}`);
    if (task.taskStatus !== 'IN_PROGRESS') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const listed = await apiOk(setup.warden, 'POST', '/audit/findings', {
    taskId: started.taskId,
    maxResults: 250,
  });
  for (const finding of listed.findings) {
    signals.set(`finding:${finding.findingId}`, {
      kind: 'finding',
      capability: finding.checkName,
      subject: JSON.stringify(finding.nonCompliantResource.resourceIdentifier),
      techniques: finding.techniques,
      seenAt: Date.now(),
    });
  }
  return { taskId: started.taskId as string, findings: listed.findings as any[] };
}

/** Capabilities that map a technique in a category, from the catalog. */
function capabilitiesFor(techniqueId: string, category: string): Set<string> {
  return new Set(
    CATALOG.filter(
      (entry) => entry.techniqueIds.includes(techniqueId) && entry.category === category,
    ).map((entry) => entry.capabilityId),
  );
}

describe('adversary emulation against the default setup', () => {
  let setup: SimulationWarden;
  let attack: SimulationResult;
  const signals = new Map<string, Signal>();

  before(async () => {
    setup = await startSimulationWarden();
    await applyDefaults(setup);
  });

  after(async () => {
    await setup?.warden.stop();
  });

  test('a clean fleet raises no violation and no finding', async () => {
    const clean = new Map<string, Signal>();
    const stop = watchViolations(setup, clean);
    await runSimulation(
      optionsFor(setup.warden, {
        seed: 5,
        ticks: TICKS,
        devices: 4,
        clock: new SimulatedClock({ start: Date.UTC(2026, 11, 4, 6) }),
      }),
    );
    await stop();
    await auditAll(setup, clean);
    assert.deepEqual(
      [...clean.values()].map((signal) => `${signal.kind} ${signal.capability} ${signal.subject}`),
      [],
    );
  });

  test('every scenario raises its expected signal on its targets', async () => {
    const stop = watchViolations(setup, signals);
    attack = await runSimulation(
      optionsFor(setup.warden, {
        seed: 9,
        ticks: TICKS,
        devices: SCENARIOS.length + 2,
        scenarios: SCENARIOS.map((scenario) => scenario.name),
        clock: new SimulatedClock({ start: Date.UTC(2026, 11, 4, 6) }),
      }),
    );
    await stop();
    await auditAll(setup, signals);

    const missing = attack.scenarios.filter((scenario) => {
      const expected = scenario.expectedSignal;
      return ![...signals.values()].some((signal) =>
        expected.kind === 'violation'
          ? signal.kind === 'violation' &&
            signal.capability === expected.metric &&
            scenario.targets.includes(signal.subject)
          : signal.kind === 'finding' && signal.capability === expected.checkName,
      );
    });
    assert.deepEqual(
      missing.map((scenario) => scenario.name),
      [],
    );
  });

  test('the logging finding is remediated by the ENABLE_IOT_LOGGING action', async () => {
    const logging = [...signals.entries()].find(
      ([, signal]) => signal.kind === 'finding' && signal.capability === 'LOGGING_DISABLED_CHECK',
    );
    assert.ok(logging, 'the logging scenario raised LOGGING_DISABLED_CHECK');
    const findingId = logging[0].replace(/^finding:/, '');
    const task = await apiOk(
      setup.warden,
      'POST',
      '/audit/mitigationactions/tasks/restore-logging',
      {
        target: { findingIds: [findingId] },
        auditCheckToActionsMapping: { LOGGING_DISABLED_CHECK: ['warden-enable-logging'] },
        clientRequestToken: 'restore-logging-1',
      },
    );
    assert.equal(task.taskId, 'restore-logging');
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const described = await apiOk(
        setup.warden,
        'GET',
        '/audit/mitigationactions/tasks/restore-logging',
      );
      if (described.taskStatus !== 'IN_PROGRESS') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const options = await apiOk(setup.warden, 'GET', '/v2LoggingOptions');
    assert.equal(options.disableAllLogs, false);
    assert.equal(options.defaultLogLevel, 'ERROR');
    signals.set('mitigation:enable-logging', {
      kind: 'mitigation',
      capability: 'ENABLE_IOT_LOGGING',
      subject: findingId,
      techniques: techniquesForAction('ENABLE_IOT_LOGGING'),
      seenAt: Date.now(),
    });
  });

  test('every published row is proven by a signal that carries its technique', () => {
    const rows: string[] = [];
    const unproven: string[] = [];
    for (const row of publishedRows()) {
      const proven = proveRow(row.techniqueId, capabilitiesFor(row.techniqueId, row.category));
      if (proven === undefined) {
        unproven.push(`${row.techniqueId} ${row.category}`);
        continue;
      }
      const { scenario, proof } = proven;
      const seconds = Math.max(0, (proof.seenAt - (scenario.startedAt ?? proof.seenAt)) / 1000);
      rows.push(
        `| ${row.techniqueId} ${row.category} | ${scenario.name} | ${proof.kind} ${proof.capability} | ${seconds.toFixed(1)} s |`,
      );
    }
    assert.deepEqual(unproven, []);
    process.stdout.write(`${rows.map((line) => `# ${line}`).join('\n')}\n`);
  });

  /**
   * Finds a scenario whose expected or secondary signal is a capability of the row, and the
   * signal it raised (on its own targets) that carries the row's technique.
   */
  function proveRow(techniqueId: string, capabilities: Set<string>) {
    // Scenarios that play the technique come first, so the table names the scenario meant for it.
    const plays = (scenario: SimulationResult['scenarios'][number]) =>
      [scenario.techniqueId, ...scenario.relatedTechniqueIds].includes(techniqueId) ? 0 : 1;
    const ordered = [...attack.scenarios].sort((a, b) => plays(a) - plays(b));
    for (const scenario of ordered) {
      for (const expected of [scenario.expectedSignal, ...scenario.secondarySignals]) {
        const capability = expected.kind === 'violation' ? expected.metric : expected.checkName;
        if (!capabilities.has(capability)) continue;
        const proof = [...signals.values()].find(
          (signal) =>
            signal.capability === capability &&
            (signal.kind === 'finding' || scenario.targets.includes(signal.subject)) &&
            signal.techniques.some((technique) => technique.id === techniqueId),
        );
        if (proof !== undefined) return { scenario, proof };
      }
    }
    const mitigation = signals.get('mitigation:enable-logging');
    const logging = attack.scenarios.find((scenario) => scenario.name === 'logging-disabled');
    const responds =
      mitigation !== undefined &&
      capabilities.has(mitigation.capability) &&
      mitigation.techniques.some((technique) => technique.id === techniqueId);
    return responds && logging ? { scenario: logging, proof: mitigation } : undefined;
  }
});
