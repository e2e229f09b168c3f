/**
 * Plain-text rendering of a coverage report for the CLI: one block per covered technique, then
 * the published rows the setup leaves open and the parts of it that map to nothing.
 */

import { describeSource, type CoverageReport, type TechniqueCoverage } from './coverage.ts';
import type { AttackDomain } from './techniques.ts';

const DOMAIN_TITLES: Record<AttackDomain, string> = {
  enterprise: 'ATT&CK Enterprise',
  ics: 'ATT&CK for ICS',
};

const ID_WIDTH = 11;
const SCORE_WIDTH = 18;

/** Renders a coverage report as lines of text, ending with a newline. */
export function renderCoverageText(report: CoverageReport): string {
  const { covered, total, uncovered } = report.published;
  const lines = [
    `ATT&CK v${report.attackVersion} coverage: ${count(report.techniques.length, 'technique')}, ` +
      `${covered.length} of ${total} published rows covered`,
  ];

  for (const domain of ['enterprise', 'ics'] as const) {
    const techniques = report.techniques.filter((entry) => entry.domain === domain);
    if (techniques.length === 0) continue;
    lines.push('', DOMAIN_TITLES[domain]);
    for (const entry of techniques) lines.push(...techniqueLines(entry));
  }
  if (report.techniques.length === 0) lines.push('', 'No part of this setup maps to a technique.');

  if (uncovered.length > 0) {
    lines.push('', 'Published rows not covered:');
    for (const row of uncovered) {
      const score = `${row.category}/${row.value}`.padEnd(SCORE_WIDTH);
      lines.push(`  ${row.techniqueId.padEnd(ID_WIDTH)}${score}${row.name}`);
    }
  }

  const unmapped = unmappedLines(report);
  if (unmapped.length > 0) lines.push('', 'Not mapped to any technique:', ...unmapped);
  return `${lines.join('\n')}\n`;
}

function techniqueLines(entry: TechniqueCoverage): string[] {
  const lines = [`  ${entry.id.padEnd(ID_WIDTH)}${entry.name} (${entry.tactics.join(', ')})`];
  for (const source of entry.sources) {
    const score = `${source.category}/${source.value}`.padEnd(SCORE_WIDTH);
    const codes = source.reasonCodes ? ` for reason codes ${source.reasonCodes.join(', ')}` : '';
    const origin = source.source === 'warden' ? ' [Warden]' : '';
    const indent = ' '.repeat(2 + ID_WIDTH);
    lines.push(`${indent}${score}${describeSource(source)}${codes}${origin}`);
  }
  return lines;
}

function unmappedLines(report: CoverageReport): string[] {
  const { enabledChecks, behaviors, mitigationActions } = report.unmapped;
  return [
    ...enabledChecks.map((check) => `  audit check ${check}`),
    ...behaviors.map((entry) => `  behavior ${entry.profile}/${entry.name} (${entry.metric})`),
    ...mitigationActions.map((action) => `  action ${action.name} (${action.type})`),
  ];
}

function count(value: number, noun: string): string {
  return `${value} ${noun}${value === 1 ? '' : 's'}`;
}
