import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { sharedPath } from '../testing/shared-reference.ts';
import {
  ATTACK_VERSION,
  TACTICS,
  TECHNIQUES,
  domainOf,
  isSubtechnique,
  parentTechniqueId,
  technique,
  type AttackDomain,
} from './techniques.ts';

interface AttackExtract {
  attack_version: string;
  tactics: { shortname: string; order: number }[];
  techniques: { id: string; name: string; tactics: string[] }[];
}

function readExtract(domain: AttackDomain): AttackExtract {
  const file = domain === 'enterprise' ? 'enterprise-techniques.json' : 'ics-techniques.json';
  return JSON.parse(readFileSync(sharedPath('attack', file), 'utf8')) as AttackExtract;
}

const EXTRACTS = { enterprise: readExtract('enterprise'), ics: readExtract('ics') };

test('technique table matches the ATT&CK v18.1 data', () => {
  for (const entry of TECHNIQUES) {
    const extract = EXTRACTS[entry.domain];
    assert.equal(extract.attack_version, ATTACK_VERSION);
    const published = extract.techniques.find((candidate) => candidate.id === entry.id);
    assert.ok(published, `${entry.id} is not a current ${entry.domain} technique`);
    assert.equal(entry.name, published.name, `name of ${entry.id}`);
    assert.deepEqual(entry.tactics, published.tactics, `tactics of ${entry.id}`);
  }
});

test('technique ids are unique and sorted per matrix', () => {
  const ids = TECHNIQUES.map((entry) => entry.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const domain of ['enterprise', 'ics'] as const) {
    const domainIds = TECHNIQUES.filter((entry) => entry.domain === domain).map(
      (entry) => entry.id,
    );
    assert.deepEqual(domainIds, [...domainIds].sort());
  }
});

test('tactic lists follow the matrix order of ATT&CK v18.1', () => {
  for (const domain of ['enterprise', 'ics'] as const) {
    const ordered = [...EXTRACTS[domain].tactics].sort((a, b) => a.order - b.order);
    assert.deepEqual(
      TACTICS[domain],
      ordered.map((tactic) => tactic.shortname),
    );
  }
});

test('every tactic of a technique belongs to its matrix', () => {
  for (const entry of TECHNIQUES) {
    for (const tactic of entry.tactics) {
      assert.ok(TACTICS[entry.domain].includes(tactic), `${entry.id} tactic ${tactic}`);
    }
  }
});

test('technique looks up by id', () => {
  assert.deepEqual(technique('T1562.008'), {
    id: 'T1562.008',
    name: 'Disable or Modify Cloud Logs',
    tactics: ['defense-evasion'],
    domain: 'enterprise',
  });
  assert.deepEqual(technique('T0891'), {
    id: 'T0891',
    name: 'Hardcoded Credentials',
    tactics: ['lateral-movement', 'persistence'],
    domain: 'ics',
  });
  assert.equal(technique('T9999'), undefined);
  assert.equal(technique('t1040'), undefined);
});

test('sub-technique helpers', () => {
  assert.equal(isSubtechnique('T1048.003'), true);
  assert.equal(isSubtechnique('T1048'), false);
  assert.equal(isSubtechnique('T1048.03'), false);
  assert.equal(parentTechniqueId('T1048.003'), 'T1048');
  assert.equal(parentTechniqueId('T1048'), undefined);
});

test('domainOf guesses the matrix of unknown ids', () => {
  assert.equal(domainOf('T0814'), 'ics');
  assert.equal(domainOf('T0800'), 'ics');
  assert.equal(domainOf('T1040'), 'enterprise');
  assert.equal(domainOf('T1190'), 'enterprise');
  assert.equal(domainOf('T1190.001'), 'enterprise');
});
