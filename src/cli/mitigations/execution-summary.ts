/** Readable summaries of mitigation executions for `warden mitigations`. */

import { renderTable, type TableColumn } from '../audit/text-table.ts';
import type { ExecutionJson } from './mitigations-client.ts';

/** Target members listed per kind before the rest are counted as "+N more". */
const MAX_LISTED_PER_KIND = 3;

const COLUMNS: TableColumn[] = [
  { header: 'EXECUTION ID' },
  { header: 'STARTED' },
  { header: 'ACTION', wrap: true },
  { header: 'TYPE' },
  { header: 'STATUS' },
  { header: 'TARGET', wrap: true },
  { header: 'NOTES' },
];

/** Formats the execution list as a table, or as a sentence when there is none. */
export function formatExecutionList(
  executions: readonly ExecutionJson[],
  options: { thingName?: string; width?: number },
): string {
  if (executions.length === 0)
    return options.thingName === undefined
      ? 'No executions found\n'
      : `No executions acted on thing "${options.thingName}"\n`;
  const rows = executions.map((execution) => [
    execution.executionId,
    isoTime(execution.startTime),
    execution.actionName,
    execution.actionType,
    execution.status,
    targetLabel(execution.target),
    notes(execution),
  ]);
  const table = renderTable(COLUMNS, rows, {
    colour: false,
    ...(options.width === undefined ? {} : { width: options.width }),
  });
  const count = executions.length === 1 ? '1 execution' : `${executions.length} executions`;
  return `${table.map((line) => line.trimEnd()).join('\n')}\n\n${count}\n`;
}

/** Formats one execution in full: action, status, source, target, state before and after. */
export function formatExecution(execution: ExecutionJson): string {
  const lines = [`Execution ${execution.executionId}`];
  const field = (name: string, value: string) => lines.push(`  ${`${name}:`.padEnd(13)}${value}`);
  field('action', `${execution.actionName} (${execution.actionType})`);
  field('status', execution.status);
  field(
    'mode',
    execution.dryRun ? 'dry run: recorded what it would do, changed nothing' : 'applied',
  );
  field('source', sourceLabel(execution.source));
  if (execution.taskId !== undefined) field('task', execution.taskId);
  field('started', isoTime(execution.startTime));
  if (execution.endTime !== undefined) field('ended', isoTime(execution.endTime));
  if (execution.errorCode !== undefined) field('error', execution.errorCode);
  if (execution.message !== undefined) field('message', execution.message);
  field('target', targetLabel(execution.target));
  const techniques = execution.techniques ?? [];
  if (techniques.length > 0) {
    field('ATT&CK', techniques.map((technique) => `${technique.id} ${technique.name}`).join(', '));
  }
  if (execution.rolledBackAt !== undefined)
    field('rolled back', `${isoTime(execution.rolledBackAt)} ${execution.rollbackMessage ?? ''}`);
  lines.push('  before:', ...stateLines(execution.before));
  lines.push('  after:', ...stateLines(execution.after));
  return `${lines.map((line) => line.trimEnd()).join('\n')}\n`;
}

/** Formats what a rollback restored: the state the execution recorded before it acted. */
export function formatRollback(execution: ExecutionJson): string {
  const lines = [
    `Rolled back execution ${execution.executionId}: ${execution.actionName} (${execution.actionType}) on ${targetLabel(execution.target)}`,
    'Restored:',
    ...stateLines(execution.before),
  ];
  if (execution.rollbackMessage !== undefined) lines.push(execution.rollbackMessage);
  return `${lines.join('\n')}\n`;
}

function notes(execution: ExecutionJson): string {
  const parts: string[] = [];
  if (execution.dryRun) parts.push('dry run');
  if (execution.rolledBackAt !== undefined) parts.push('rolled back');
  return parts.join(', ');
}

function sourceLabel(source: ExecutionJson['source']): string {
  const text = (name: string) => String(source[name] ?? '');
  if (source.kind === 'violation')
    return `violation ${text('violationId')} of behavior "${text('behaviorName')}" in security profile "${text('securityProfileName')}"`;
  if (source.kind === 'audit-finding')
    return `audit finding ${text('findingId')} of check ${text('checkName')}`;
  if (source.kind === 'manual') return `manual: ${text('reason')}`;
  return source.kind;
}

/** Names the resources an execution acted on, by kind, e.g. `things sensor-1, sensor-2`. */
export function targetLabel(target: ExecutionJson['target']): string {
  const kinds: [string, string[]][] = [
    ['things', target.thingNames],
    ['certificates', target.certificateIds],
    ['CA certificates', target.caCertificateIds],
    ['clients', target.clientIds],
    ['policies', target.policyNames],
    ['source IPs', target.sourceIps],
  ];
  const parts = kinds
    .filter(([, values]) => values.length > 0)
    .map(([name, values]) => {
      const listed = values.slice(0, MAX_LISTED_PER_KIND).join(', ');
      const more = values.length - MAX_LISTED_PER_KIND;
      return more > 0 ? `${name} ${listed} +${more} more` : `${name} ${listed}`;
    });
  return parts.length === 0 ? 'nothing' : parts.join('; ');
}

/** Formats an action's recorded state as `path: value` lines, indented under a heading. */
function stateLines(state: unknown): string[] {
  if (state === undefined) return ['    (not recorded)'];
  return flatten(state, '').map((line) => `    ${line}`);
}

function flatten(value: unknown, path: string): string[] {
  const label = path === '' ? '(value)' : path;
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${label}: (none)`];
    if (value.every((item) => item === null || typeof item !== 'object'))
      return [`${label}: ${value.map(String).join(', ')}`];
    return value.flatMap((item, index) => flatten(item, `${path}[${index}]`));
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return [`${label}: (none)`];
    return entries.flatMap(([key, member]) =>
      flatten(member, path === '' ? key : `${path}.${key}`),
    );
  }
  return [`${label}: ${String(value)}`];
}

function isoTime(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString();
}
