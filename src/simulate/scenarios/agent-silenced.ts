/**
 * T1562.001 Disable or Modify Tools: the Device Defender agent is stopped while the device stays
 * online and keeps publishing telemetry, so its own reports stop. Warden's
 * `warden:report-silence` metric counts the minutes since the last accepted report.
 */

import type { Scenario } from '../scenario.ts';

export const agentSilenced: Scenario = {
  name: 'agent-silenced',
  techniqueId: 'T1562.001',
  relatedTechniqueIds: [],
  summary:
    'Stops sending Device Defender reports from its start, while the device stays connected and keeps publishing telemetry.',
  expectedSignal: { kind: 'violation', metric: 'warden:report-silence' },
  secondarySignals: [],
  scope: 'devices',
  create(_context, targets) {
    return {
      shapeSample(_device, sample) {
        sample.skipReport = true;
      },
      actions() {
        return targets.map((device) => `${device.thingName} stopped reporting metrics`);
      },
    };
  },
};
