/**
 * Turns a device sample into a Device Defender metrics report in long key names, with the
 * agent's report builder, so the virtual fleet sends what a real agent sends.
 */

import { buildReport, type ReportDocument } from '../agent/report-builder.ts';
import type { DeviceSample } from './normal-behavior.ts';

/** Builds the report document of a sample, with its traffic as the `network_stats` deltas. */
export function sampleReport(sample: DeviceSample, reportId: number): ReportDocument {
  return buildReport({
    reportId,
    shortKeys: false,
    sample: {
      interfaces: [],
      listeningTcpPorts: sample.listeningTcpPorts.map((port) => ({ port })),
      listeningUdpPorts: sample.listeningUdpPorts.map((port) => ({ port })),
      establishedConnections: sample.connections,
    },
    deltas: sample.traffic,
  });
}
