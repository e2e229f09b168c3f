import assert from 'node:assert/strict';
import { test } from 'node:test';
import { areaOf, summarizeProfile, type CpuProfile } from './profile-summary.ts';

const SRC = 'file:///repo/src/detect/evaluator.ts';
const AEDES = 'file:///repo/node_modules/aedes/lib/client.js';

/** root -> handle (aedes) -> evaluate (src) and root -> (garbage collector). */
const PROFILE: CpuProfile = {
  nodes: [
    { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 }, children: [2, 4] },
    { id: 2, callFrame: { functionName: 'handle', url: AEDES, lineNumber: 9 }, children: [3] },
    { id: 3, callFrame: { functionName: 'evaluate', url: SRC, lineNumber: 0 } },
    { id: 4, callFrame: { functionName: '(garbage collector)', url: '', lineNumber: -1 } },
  ],
  // Each sample weighs the next delta, 2 ms, and the last one the mean gap, 10 ms / 4 = 2.5 ms.
  samples: [3, 3, 2, 4],
  timeDeltas: [0, 2000, 2000, 2000],
  startTime: 0,
  endTime: 10_000,
};

test('summarizeProfile splits self and total time', () => {
  const summary = summarizeProfile(PROFILE);
  assert.equal(summary.samples, 4);
  assert.equal(summary.sampledMs, 8.5);
  assert.deepEqual(
    summary.selfByFunction.map((row) => [row.name, row.ms]),
    [
      ['evaluate src/detect/evaluator.ts', 4],
      ['(garbage collector)', 2.5],
      ['handle aedes/lib/client.js:10', 2],
    ],
  );
  const total = new Map(summary.totalByFunction.map((row) => [row.name, row.ms]));
  assert.equal(total.get('handle aedes/lib/client.js:10'), 6);
  assert.equal(total.get('evaluate src/detect/evaluator.ts'), 4);
  assert.equal(total.has('(root)'), false);
});

test('summarizeProfile groups self time by area', () => {
  const areas = summarizeProfile(PROFILE).selfByArea.map((row) => [row.name, row.ms]);
  assert.deepEqual(areas, [
    ['src/detect', 4],
    ['(garbage collector)', 2.5],
    ['aedes', 2],
  ]);
});

test('areaOf names packages, core modules and V8 tags', () => {
  const cases: [string, string, string][] = [
    ['node:internal/stream_base_commons', 'writevGeneric', 'node:stream_base_commons'],
    ['node:net', 'Socket._writev', 'node:net'],
    ['file:///repo/node_modules/@peculiar/x509/build/index.js', 'parse', '@peculiar/x509'],
    ['file:///repo/src/broker/policy/lru-cache.ts', 'get', 'src/broker/policy'],
    ['', 'writev', 'writev'],
  ];
  for (const [url, functionName, area] of cases)
    assert.equal(areaOf({ url, functionName, lineNumber: 0 }), area, url);
});
