/**
 * The text `warden simulate` prints: the scenario list of `--list`, and after a run one table of
 * devices, one of scenarios with what each did, and the normal envelope.
 */

import { renderTable } from '../cli/audit/text-table.ts';
import { describeSignal } from './scenario.ts';
import { SCENARIOS } from './scenarios/index.ts';
import type { SimulationResult } from './simulation-result.ts';

/** Lines of `warden simulate --list`. */
export function renderScenarioList(width?: number): string[] {
  const columns = [
    { header: 'Scenario' },
    { header: 'Technique' },
    { header: 'Also' },
    { header: 'Expected signal' },
    { header: 'Does', wrap: true },
  ];
  const rows = SCENARIOS.map((scenario) => [
    scenario.name,
    scenario.techniqueId,
    scenario.relatedTechniqueIds.join(', '),
    describeSignal(scenario.expectedSignal),
    scenario.summary,
  ]);
  return renderTable(columns, rows, { colour: false, ...(width === undefined ? {} : { width }) });
}

/** Lines summarizing a finished run. */
export function renderSummary(result: SimulationResult): string[] {
  const simulated = `${new Date(result.simulatedStart).toISOString()} to ${new Date(result.simulatedEnd).toISOString()}`;
  const lines = [
    `Ran ${result.devices.length} devices of seed ${result.seed} for ${result.completedTicks} of ${result.plannedTicks} ticks, ${result.tickIntervalMs / 1000} s apart (simulated ${simulated})${result.aborted ? ', stopped early' : ''}`,
    '',
    ...deviceTable(result),
  ];
  if (result.scenarios.length > 0) lines.push('', ...scenarioLines(result));
  lines.push('', ...envelopeLines(result));
  return lines;
}

function deviceTable(result: SimulationResult): string[] {
  const right = { align: 'right' as const };
  const columns = [
    { header: 'Thing' },
    { header: 'Kind' },
    { header: 'Connects', ...right },
    { header: 'Reports', ...right },
    { header: 'Accepted', ...right },
    { header: 'Rejected' },
    { header: 'Unanswered', ...right },
    { header: 'Telemetry', ...right },
    { header: 'Scenarios' },
  ];
  const rows = result.devices.map(({ thingName, kind, stats, scenarios }) => {
    const rejected = Object.entries(stats.reportsRejected)
      .map(([code, count]) => `${count} ${code}`)
      .join(', ');
    return [
      thingName,
      kind,
      String(stats.connects),
      String(stats.reportsSent),
      String(stats.reportsAccepted),
      rejected === '' ? '0' : rejected,
      String(stats.reportsUnanswered),
      String(stats.telemetrySent),
      scenarios.join(', '),
    ];
  });
  return renderTable(columns, rows, { colour: false });
}

function scenarioLines(result: SimulationResult): string[] {
  const lines: string[] = [];
  for (const scenario of result.scenarios) {
    const started =
      scenario.startedAt === undefined
        ? 'not started'
        : `started ${new Date(scenario.startedAt).toISOString()} (tick ${scenario.startTick})`;
    const targets = scenario.targets.length > 0 ? scenario.targets.join(', ') : 'the account';
    lines.push(
      `${scenario.name} (${scenario.techniqueId}) on ${targets}, ${started}; expects ${describeSignal(scenario.expectedSignal)}`,
    );
    for (const action of scenario.actions) lines.push(`  - ${action}`);
    for (const error of scenario.errors) lines.push(`  ! ${error}`);
  }
  return lines;
}

function envelopeLines(result: SimulationResult): string[] {
  const normal = result.normal;
  const max = normal.maxPerReport;
  return [
    'Normal envelope of the clean fleet (size security profiles from it; counters are per report):',
    `  bytes out <= ${max.bytesOut}, bytes in <= ${max.bytesIn}, packets out <= ${max.packetsOut}, packets in <= ${max.packetsIn}`,
    `  listening TCP ports in [${normal.listeningTcpPorts.join(', ')}], UDP ports in [${normal.listeningUdpPorts.join(', ')}]`,
    `  established connections <= ${normal.maxEstablishedConnections}, destinations in ${normal.destinationCidrs.join(', ')}`,
    `  message size <= ${normal.maxMessageBytes} bytes, messages sent per tick <= ${normal.maxMessagesSentPerTick}, received per tick <= ${normal.maxMessagesReceivedPerTick}, source addresses in ${normal.sourceCidrs.join(', ')}`,
  ];
}
