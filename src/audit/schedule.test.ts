import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextRun, scheduleProblem } from './schedule.ts';

const created = Date.UTC(2026, 11, 4, 15); // a Friday

test('next run of each frequency', () => {
  assert.equal(nextRun({ frequency: 'DAILY' }, created, created), Date.UTC(2026, 11, 5));
  assert.equal(
    nextRun({ frequency: 'WEEKLY', dayOfWeek: 'MON' }, created, created),
    Date.UTC(2026, 11, 7),
  );
  assert.equal(
    nextRun({ frequency: 'MONTHLY', dayOfMonth: '1' }, created, created),
    Date.UTC(2027, 0, 1),
  );
  assert.equal(
    nextRun({ frequency: 'MONTHLY', dayOfMonth: 'LAST' }, created, created),
    Date.UTC(2026, 11, 31),
  );
});

test('monthly day past the end of a month runs on its last day', () => {
  assert.equal(
    nextRun({ frequency: 'MONTHLY', dayOfMonth: '31' }, Date.UTC(2027, 1, 1), created),
    Date.UTC(2027, 1, 28),
  );
});

test('biweekly runs every other week from creation', () => {
  const first = nextRun({ frequency: 'BIWEEKLY', dayOfWeek: 'FRI' }, created, created);
  const second = nextRun({ frequency: 'BIWEEKLY', dayOfWeek: 'FRI' }, first, created);
  assert.equal(second - first, 14 * 24 * 3600 * 1000);
});

test('schedule rules need the day their frequency uses', () => {
  assert.equal(
    scheduleProblem({ frequency: 'WEEKLY' }),
    'A WEEKLY scheduled audit needs dayOfWeek',
  );
  assert.equal(
    scheduleProblem({ frequency: 'MONTHLY' }),
    'A MONTHLY scheduled audit needs dayOfMonth',
  );
  assert.equal(scheduleProblem({ frequency: 'DAILY' }), undefined);
});
