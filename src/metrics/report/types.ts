import type { CustomMetricType, Datapoint, MetricValue } from '../../detect/metric-value.ts';
import type { KeyStyle } from './keys.ts';

/** A `listening_tcp_ports` or `listening_udp_ports` block; `undefined` fields were absent. */
export interface ListeningPorts {
  /** Ports in the order sent, duplicates kept. */
  ports: number[] | undefined;
  total: number | undefined;
}

/** An `established_connections` block; `undefined` fields were absent. */
export interface EstablishedConnections {
  /** IP address of each connection's `remote_addr`, in the order sent, duplicates kept. */
  remoteIps: string[] | undefined;
  total: number | undefined;
}

/** A `network_stats` block. A counter the agent left out is 0. */
export interface NetworkStats {
  bytesIn: number;
  bytesOut: number;
  packetsIn: number;
  packetsOut: number;
}

/** One custom metric of a report, with its value already in the `MetricValue` shape. */
export interface CustomMetric {
  name: string;
  type: CustomMetricType;
  value: MetricValue;
}

/**
 * A report that passed validation, with key names resolved and blocks that were absent left
 * `undefined`. Agent quirks are corrected on this form before it becomes datapoints.
 */
export interface ValidReport {
  reportId: number;
  version: string;
  keyStyle: KeyStyle;
  networkStats: NetworkStats | undefined;
  listeningTcpPorts: ListeningPorts | undefined;
  listeningUdpPorts: ListeningPorts | undefined;
  establishedConnections: EstablishedConnections | undefined;
  customMetrics: CustomMetric[];
  /** Corrections and coercions Warden applied to the report, for logs and operators. */
  notes: string[];
}

/** A validated report as device-side datapoints with AWS metric names. */
export interface NormalizedReport {
  reportId: number;
  version: string;
  keyStyle: KeyStyle;
  datapoints: Datapoint[];
  /** Type of each custom metric in the report, by metric name (an object without prototype). */
  customMetricTypes: Record<string, CustomMetricType>;
  notes: string[];
}
