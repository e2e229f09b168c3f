import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { stripAnsi } from './test-streams.ts';
import { renderTable, wrap, type TableColumn } from './text-table.ts';

const COLUMNS: TableColumn[] = [
  { header: 'SEVERITY', style: (text) => (text === 'CRITICAL' ? 'red' : undefined) },
  { header: 'COUNT', align: 'right' },
  { header: 'REASON', wrap: true },
];
const ROWS = [
  ['CRITICAL', '3', 'Policy allows broad access to IoT data plane actions on every topic'],
  ['LOW', '12', 'Logging is disabled'],
];

describe('text table', () => {
  test('keeps every cell on one line without a width', () => {
    assert.deepEqual(renderTable(COLUMNS, ROWS, { colour: false }), [
      'SEVERITY  COUNT  REASON',
      'CRITICAL      3  Policy allows broad access to IoT data plane actions on every topic',
      'LOW          12  Logging is disabled',
    ]);
  });

  test('wraps the wrap columns to fit the width', () => {
    const lines = renderTable(COLUMNS, ROWS, { width: 40, colour: false });

    assert.deepEqual(lines, [
      'SEVERITY  COUNT  REASON',
      'CRITICAL      3  Policy allows broad',
      '                 access to IoT data',
      '                 plane actions on every',
      '                 topic',
      'LOW          12  Logging is disabled',
    ]);
    for (const line of lines) assert.ok(line.length <= 40, line);
  });

  test('colours cells and headers only when asked', () => {
    const lines = renderTable(COLUMNS, ROWS, { colour: true });

    assert.equal(lines[0], '\x1b[1mSEVERITY\x1b[0m  \x1b[1mCOUNT\x1b[0m  \x1b[1mREASON\x1b[0m');
    assert.ok(lines[1]?.startsWith('\x1b[31mCRITICAL\x1b[0m      3  '));
    assert.deepEqual(lines.map(stripAnsi), renderTable(COLUMNS, ROWS, { colour: false }));
  });

  test('breaks a word longer than the column between its parts', () => {
    assert.deepEqual(wrap('ab12cd34ef56 done', 4), ['ab12', 'cd34', 'ef56', 'done']);
    assert.deepEqual(wrap('DEVICE_CERTIFICATE_EXPIRING_CHECK', 20), [
      'DEVICE_CERTIFICATE_',
      'EXPIRING_CHECK',
    ]);
    assert.deepEqual(wrap('arn:aws:iot:eu-west-1:1:rolealias/a', 16), [
      'arn:aws:iot:eu-',
      'west-1:1:',
      'rolealias/a',
    ]);
    assert.deepEqual(wrap('one\ntwo three', 9), ['one', 'two three']);
    assert.deepEqual(wrap('', 5), ['']);
  });
});
