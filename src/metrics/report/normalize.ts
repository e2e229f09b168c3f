/**
 * Conversion of a validated report into device-side datapoints with AWS metric names. A metric
 * gets a datapoint only when its field is in the report: a report without `listening_udp_ports`
 * carries no UDP port data, which is not the same as an empty list.
 */
import type { CustomMetricType, Datapoint } from '../../detect/metric-value.ts';
import type { ListeningPorts, NormalizedReport, ValidReport } from './types.ts';

/** Turns a validated report, quirks already applied, into datapoints. Sorts port lists in place. */
export function normalizeReport(report: ValidReport): NormalizedReport {
  const datapoints: Datapoint[] = [];

  const stats = report.networkStats;
  if (stats !== undefined) {
    datapoints.push(
      { metric: 'aws:all-bytes-in', value: { count: stats.bytesIn } },
      { metric: 'aws:all-bytes-out', value: { count: stats.bytesOut } },
      { metric: 'aws:all-packets-in', value: { count: stats.packetsIn } },
      { metric: 'aws:all-packets-out', value: { count: stats.packetsOut } },
    );
  }

  pushPorts(datapoints, report.listeningTcpPorts, 'tcp');
  pushPorts(datapoints, report.listeningUdpPorts, 'udp');
  pushConnections(datapoints, report);

  const customMetricTypes = Object.create(null) as Record<string, CustomMetricType>;
  for (const custom of report.customMetrics) {
    datapoints.push({ metric: custom.name, value: custom.value });
    customMetricTypes[custom.name] = custom.type;
  }

  return {
    reportId: report.reportId,
    version: report.version,
    keyStyle: report.keyStyle,
    datapoints,
    customMetricTypes,
    notes: report.notes,
  };
}

// The count is `total` when sent, because agents may sample the list, else the entries sent.
function pushPorts(
  datapoints: Datapoint[],
  block: ListeningPorts | undefined,
  protocol: 'tcp' | 'udp',
): void {
  if (block === undefined) return;

  const ports = block.ports;
  if (ports !== undefined) {
    const count = ports.length;
    datapoints.push({
      metric: `aws:listening-${protocol}-ports`,
      value: { ports: sortUnique(ports) },
    });
    datapoints.push({
      metric: `aws:num-listening-${protocol}-ports`,
      value: { count: block.total ?? count },
    });
  } else if (block.total !== undefined) {
    datapoints.push({
      metric: `aws:num-listening-${protocol}-ports`,
      value: { count: block.total },
    });
  }
}

function pushConnections(datapoints: Datapoint[], report: ValidReport): void {
  const block = report.establishedConnections;
  if (block === undefined) return;

  const ips = block.remoteIps;
  const count = block.total ?? ips?.length;
  if (count !== undefined) {
    datapoints.push({ metric: 'aws:num-established-tcp-connections', value: { count } });
  }
  if (ips !== undefined) {
    datapoints.push({ metric: 'aws:destination-ip-addresses', value: { cidrs: unique(ips) } });
  }
}

/** Sorts numbers ascending and drops repeats, reusing the array. */
function sortUnique(values: number[]): number[] {
  values.sort((a, b) => a - b);
  let uniqueCount = 0;
  for (let index = 0; index < values.length; index++) {
    const value = values[index] as number;
    if (uniqueCount === 0 || values[uniqueCount - 1] !== value) values[uniqueCount++] = value;
  }
  values.length = uniqueCount;
  return values;
}

/** Drops repeated strings, keeping the first occurrence of each in order. */
function unique(values: string[]): string[] {
  if (values.length < 2) return values;
  return [...new Set(values)];
}
