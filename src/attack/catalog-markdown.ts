/**
 * Markdown tables of the catalog for docs/attack.md, so the documentation lists exactly the
 * entries and techniques the code contains (a test compares the two).
 */

import { CATALOG } from './catalog.ts';
import type { CatalogEntry } from './catalog-types.ts';
import { TECHNIQUES } from './techniques.ts';

const KIND_LABELS: Record<CatalogEntry['kind'], string> = {
  'audit-check': 'audit check',
  metric: 'metric',
  action: 'action',
};

/** Renders one table row per catalog entry, in catalog order. */
export function renderEntryTable(): string {
  const rows = CATALOG.map((entry) => {
    const codes = entry.reasonCodes
      ? ` for reason codes ${entry.reasonCodes.map(code).join(', ')}`
      : '';
    const capability = `${KIND_LABELS[entry.kind]} ${code(entry.capabilityId)}${codes}`;
    const cells = [capability, entry.techniqueIds.join(', '), entry.category, entry.value];
    return row([...cells, entry.source, entry.reason]);
  });
  return [
    row(['Capability', 'Techniques', 'Category', 'Value', 'Source', 'Reason']),
    row(['---', '---', '---', '---', '---', '---']),
    ...rows,
  ].join('\n');
}

/** Renders one table row per technique the catalog uses. */
export function renderTechniqueTable(): string {
  return [
    row(['Id', 'Name (ATT&CK v18.1)', 'Tactics', 'Matrix']),
    row(['---', '---', '---', '---']),
    ...TECHNIQUES.map((entry) =>
      row([entry.id, entry.name, entry.tactics.join(', '), entry.domain]),
    ),
  ].join('\n');
}

function code(text: string): string {
  return `\`${text}\``;
}

function row(cells: readonly string[]): string {
  return `| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`;
}
