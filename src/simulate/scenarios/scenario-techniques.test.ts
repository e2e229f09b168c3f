import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CATALOG } from '../../attack/catalog.ts';
import { SCENARIOS } from './index.ts';

test('each scenario plays a technique its expected signal maps', () => {
  const mismatched = SCENARIOS.flatMap((scenario) => {
    const expected = scenario.expectedSignal;
    const capability = expected.kind === 'violation' ? expected.metric : expected.checkName;
    // Any reason code counts: the emulation suite checks the techniques of the real finding.
    const mapped = CATALOG.filter((entry) => entry.capabilityId === capability).flatMap(
      (entry) => entry.techniqueIds,
    );
    const played = [scenario.techniqueId, ...scenario.relatedTechniqueIds];
    return played
      .filter((id) => !mapped.includes(id))
      .map((id) => `${scenario.name} plays ${id}, which ${capability} does not map`);
  });
  assert.deepEqual(mismatched, []);
});
