import type { AuditFrequency, DayOfWeek } from './audit-records.ts';

const DAYS: DayOfWeek[] = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const DAY_MS = 24 * 3600 * 1000;

export interface ScheduleRule {
  frequency: AuditFrequency;
  dayOfWeek?: DayOfWeek | undefined;
  dayOfMonth?: string | undefined;
}

/** Returns a message when the rule lacks the day its frequency needs, else undefined. */
export function scheduleProblem(rule: ScheduleRule): string | undefined {
  if (
    (rule.frequency === 'WEEKLY' || rule.frequency === 'BIWEEKLY') &&
    rule.dayOfWeek === undefined
  ) {
    return `A ${rule.frequency} scheduled audit needs dayOfWeek`;
  }
  if (rule.frequency === 'MONTHLY' && rule.dayOfMonth === undefined)
    return 'A MONTHLY scheduled audit needs dayOfMonth';
  return undefined;
}

/**
 * The next run strictly after `after` (epoch ms). Warden runs scheduled audits at 00:00 UTC of
 * the chosen day; AWS picks the time of day itself. BIWEEKLY runs every other week counting from
 * `anchor`, the audit's creation time. A MONTHLY day past the month's end runs on its last day.
 */
export function nextRun(rule: ScheduleRule, after: number, anchor: number): number {
  let day = startOfDay(after) + DAY_MS;
  for (let guard = 0; guard < 400; guard++, day += DAY_MS) {
    if (matches(rule, day, anchor)) return day;
  }
  throw new RangeError(`No run day found for schedule ${JSON.stringify(rule)}`);
}

function matches(rule: ScheduleRule, day: number, anchor: number): boolean {
  const date = new Date(day);
  switch (rule.frequency) {
    case 'DAILY':
      return true;
    case 'WEEKLY':
      return DAYS[date.getUTCDay()] === rule.dayOfWeek;
    case 'BIWEEKLY': {
      const weeks = Math.floor((day - startOfDay(anchor)) / (7 * DAY_MS));
      return DAYS[date.getUTCDay()] === rule.dayOfWeek && weeks % 2 === 0;
    }
    case 'MONTHLY': {
      const last = new Date(
        Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0),
      ).getUTCDate();
      const wanted = rule.dayOfMonth === 'LAST' ? last : Math.min(Number(rule.dayOfMonth), last);
      return date.getUTCDate() === wanted;
    }
  }
}

function startOfDay(time: number): number {
  return Math.floor(time / DAY_MS) * DAY_MS;
}
