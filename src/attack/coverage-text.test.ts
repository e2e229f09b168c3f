import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderCoverageText } from './coverage-text.ts';
import { computeCoverage } from './coverage.ts';
import { fullSetup } from './full-setup.ts';

test('coverage text lists techniques, open rows and unmapped parts', () => {
  const report = computeCoverage({
    enabledChecks: ['LOGGING_DISABLED_CHECK', 'NOT_A_CHECK'],
    behaviors: [
      { profile: 'fleet', name: 'denied', metric: 'aws:num-authorization-failures' },
      { profile: 'fleet', name: 'cpu', metric: 'cpu-load' },
    ],
    mitigationActions: [
      { name: 'logging-on', type: 'ENABLE_IOT_LOGGING' },
      { name: 'tell', type: 'PUBLISH_FINDING_TO_SNS' },
    ],
  });
  const expected = [
    'ATT&CK v18.1 coverage: 5 techniques, 6 of 24 published rows covered',
    '',
    'ATT&CK Enterprise',
    '  T1078      Valid Accounts (defense-evasion, persistence, privilege-escalation, initial-access)',
    '             detect/minimal    behavior fleet/denied (aws:num-authorization-failures)',
    '  T1078.004  Cloud Accounts (defense-evasion, persistence, privilege-escalation, initial-access)',
    '             detect/partial    behavior fleet/denied (aws:num-authorization-failures)',
    '  T1562      Impair Defenses (defense-evasion)',
    '             detect/minimal    audit check LOGGING_DISABLED_CHECK',
    '             respond/minimal   action logging-on (ENABLE_IOT_LOGGING)',
    '  T1562.008  Disable or Modify Cloud Logs (defense-evasion)',
    '             detect/partial    audit check LOGGING_DISABLED_CHECK',
    '             respond/partial   action logging-on (ENABLE_IOT_LOGGING)',
    '',
    'ATT&CK for ICS',
    '  T0855      Unauthorized Command Message (impair-process-control)',
    '             detect/minimal    behavior fleet/denied (aws:num-authorization-failures) [Warden]',
    '',
    'Published rows not covered:',
    '  T1020      protect/minimal   Automated Exfiltration',
    '  T1020.001  protect/partial   Traffic Duplication',
    '  T1040      protect/partial   Network Sniffing',
    '  T1041      detect/partial    Exfiltration Over C2 Channel',
    '  T1046      detect/partial    Network Service Discovery',
    '  T1048      detect/partial    Exfiltration Over Alternative Protocol',
    '  T1048.001  detect/partial    Exfiltration Over Symmetric Encrypted Non-C2 Protocol',
    '  T1048.002  detect/partial    Exfiltration Over Asymmetric Encrypted Non-C2 Protocol',
    '  T1048.003  detect/partial    Exfiltration Over Unencrypted Non-C2 Protocol',
    '  T1071      detect/minimal    Application Layer Protocol',
    '  T1078      protect/minimal   Valid Accounts',
    '  T1078.004  protect/partial   Cloud Accounts',
    '  T1095      detect/minimal    Non-Application Layer Protocol',
    '  T1496      detect/partial    Resource Hijacking',
    '  T1530      detect/partial    Data from Cloud Storage',
    '  T1552      detect/minimal    Unsecured Credentials',
    '  T1552.004  detect/partial    Private Keys',
    '  T1557      protect/minimal   Adversary-in-the-Middle',
    '',
    'Not mapped to any technique:',
    '  audit check NOT_A_CHECK',
    '  behavior fleet/cpu (cpu-load)',
    '  action tell (PUBLISH_FINDING_TO_SNS)',
    '',
  ].join('\n');
  assert.equal(renderCoverageText(report), expected);
});

test('coverage text shows reason codes of a source', () => {
  const text = renderCoverageText(
    computeCoverage({
      enabledChecks: ['CA_CERTIFICATE_KEY_QUALITY_CHECK'],
      behaviors: [],
      mitigationActions: [],
    }),
  );
  assert.ok(
    text.includes(
      '  T1552.004  Private Keys (credential-access)\n' +
        '             protect/partial   audit check CA_CERTIFICATE_KEY_QUALITY_CHECK for reason ' +
        'codes CERTIFICATE_KEY_VULNERABILITY_CVE-2008-0166, KEY_IN_BLOCKLIST [Warden]\n',
    ),
    text,
  );
});

test('coverage text of an empty setup', () => {
  const text = renderCoverageText(
    computeCoverage({ enabledChecks: [], behaviors: [], mitigationActions: [] }),
  );
  const lines = text.split('\n');
  assert.equal(lines[0], 'ATT&CK v18.1 coverage: 0 techniques, 0 of 24 published rows covered');
  assert.equal(lines[2], 'No part of this setup maps to a technique.');
  assert.equal(lines[4], 'Published rows not covered:');
  assert.equal(lines.length, 5 + 24 + 1);
});

test('coverage text of the full setup has no open rows', () => {
  const text = renderCoverageText(computeCoverage(fullSetup()));
  assert.match(text, /^ATT&CK v18\.1 coverage: 46 techniques, 24 of 24 published rows covered\n/);
  assert.ok(!text.includes('Published rows not covered'));
  assert.ok(
    text.endsWith(
      'Not mapped to any technique:\n  action publish_finding_to_sns (PUBLISH_FINDING_TO_SNS)\n',
    ),
  );
});
