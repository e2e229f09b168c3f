/**
 * The plan as text: one block per section with `+` creates, `~` changes with the fields they
 * set, `-` deletes and `=` resources that are kept because they are not in the files, then a
 * summary line `Plan: N to create, N to change, N to delete`.
 */

import { SECTIONS } from './fleet-schema.ts';
import { showValue } from './json-diff.ts';
import { KINDS } from './kinds/index.ts';
import { countChanges, hasChanges, type Plan } from './plan.ts';
import type { ChangeAction, ResourceChange } from './resource-kind.ts';

/** The line that stands for the plan when Warden already matches the files. */
export const NO_CHANGES = 'No changes: Warden matches the fleet files';

export const ACTION_SYMBOL: Record<ChangeAction, string> = {
  create: '+',
  change: '~',
  delete: '-',
  keep: '=',
  none: ' ',
};

/** Renders the plan, ending with a newline. */
export function formatPlan(plan: Plan): string {
  const lines: string[] = [];
  for (const section of SECTIONS) {
    const changes = plan.changes.filter((change) => change.section === section);
    if (changes.length === 0) continue;
    lines.push(KINDS[section].title);
    for (const change of changes) lines.push(...changeLines(change));
    lines.push('');
  }

  const counts = countChanges(plan);
  if (!hasChanges(plan)) lines.push(NO_CHANGES);
  else
    lines.push(
      `Plan: ${counts.create} to create, ${counts.change} to change, ${counts.delete} to delete`,
    );
  if (counts.keep > 0) {
    const resources = counts.keep === 1 ? '1 resource is' : `${counts.keep} resources are`;
    lines.push(`${resources} not in the files and kept; run with --prune to delete them`);
  }
  return `${lines.join('\n')}\n`;
}

function changeLines(change: ResourceChange): string[] {
  const head = `  ${ACTION_SYMBOL[change.action]} ${change.label}`;
  if (change.action === 'keep') return [`${head} (not in the files, kept)`];
  if (change.action !== 'change') return [head];
  const fieldLines = change.fields.map((field) => {
    const values = `${showValue(field.before)} -> ${showValue(field.after)}`;
    return `      ${field.path === '' ? '(whole resource)' : field.path}: ${values}`;
  });
  return [head, ...fieldLines];
}
