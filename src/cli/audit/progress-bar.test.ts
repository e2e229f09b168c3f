import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ProgressBar } from './progress-bar.ts';
import { CapturedStream } from './test-streams.ts';

const CLEAR = '\r\x1b[2K';

describe('progress bar', () => {
  test('draws checks done out of total in a fake terminal', () => {
    const stream = new CapturedStream({ isTTY: true, columns: 60 });
    const bar = new ProgressBar(stream);

    bar.update(0, 4);
    bar.update(0, 4);
    bar.update(1, 4);
    bar.update(4, 4);
    bar.clear();

    assert.deepEqual(stream.chunks, [
      `${CLEAR}Auditing [${'-'.repeat(37)}] 0/4 checks`,
      `${CLEAR}Auditing [${'#'.repeat(9)}${'-'.repeat(28)}] 1/4 checks`,
      `${CLEAR}Auditing [${'#'.repeat(37)}] 4/4 checks`,
      CLEAR,
    ]);
    for (const chunk of stream.chunks) assert.ok(chunk.length - CLEAR.length < 60, chunk);
  });

  test('leaves the last column of the terminal free', () => {
    const bar = new ProgressBar(new CapturedStream({ isTTY: true, columns: 40 }));
    const line = bar.render(3, 10);

    assert.equal(line, 'Auditing [#####-----------] 3/10 checks');
    assert.equal(line.length, 39);
  });

  test('caps the bar at 40 characters in a wide terminal', () => {
    const bar = new ProgressBar(new CapturedStream({ isTTY: true, columns: 200 }));

    assert.equal(bar.render(1, 2), `Auditing [${'#'.repeat(20)}${'-'.repeat(20)}] 1/2 checks`);
  });

  test('keeps a minimum bar width in a very narrow terminal', () => {
    const bar = new ProgressBar(new CapturedStream({ isTTY: true, columns: 10 }));

    assert.equal(bar.render(5, 10), 'Auditing [#####-----] 5/10 checks');
  });

  test('draws a full bar for a task without checks', () => {
    const bar = new ProgressBar(new CapturedStream({ columns: 80 }));

    assert.equal(bar.render(0, 0), `Auditing [${'#'.repeat(40)}] 0/0 checks`);
  });

  test('erases nothing when nothing was drawn', () => {
    const stream = new CapturedStream({ isTTY: true });
    new ProgressBar(stream).clear();

    assert.deepEqual(stream.chunks, []);
  });
});
