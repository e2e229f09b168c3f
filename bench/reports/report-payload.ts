/**
 * The Device Defender JSON report every benchmark device sends. Both phases send these exact
 * bytes, so the report path and the plain publish carry the same payload size.
 */

/** First report id; ids keep 10 digits up to 9,999,999,999, so every payload has one length. */
export const FIRST_REPORT_ID = 1_000_000_000;

/** A listening port outside the profile's port set; a violating report swaps it in for 443. */
const ALLOWED_PORT = 443;
const VIOLATING_PORT = 666;

/** Ports the `listening-tcp-ports` behavior allows, including the ones a normal report lists. */
export const ALLOWED_PORTS = [22, 80, ALLOWED_PORT, 8883];

/** Networks the `destination-ip-addresses` behavior allows. */
export const ALLOWED_CIDRS = ['10.0.0.0/8', '192.168.0.0/16'];

/** Bytes sent per report; the `all-bytes-out` behavior sums them over 300 s. */
export const BYTES_OUT_PER_REPORT = 2048;

/** Name of the custom number metric every report carries. */
export const CUSTOM_METRIC = 'cpu_temperature';

/**
 * Builds the report with id `reportId`. A violating report lists port 666, which the port-set
 * behavior does not allow, so the next normal report clears that alarm. The length does not
 * depend on `violating`. The JSON is built once per variant and only the id is spliced in, so
 * the load generator spends its CPU on MQTT rather than on serializing.
 */
export function reportPayload(reportId: number, violating: boolean): string {
  const [head, tail] = violating ? VIOLATING_TEMPLATE : NORMAL_TEMPLATE;
  return head + String(reportId) + tail;
}

/** Tells whether report number `sequence` (0-based) of a device should violate. */
export function isViolating(sequence: number, violateEvery: number): boolean {
  return violateEvery > 0 && sequence % violateEvery === violateEvery - 1;
}

const NORMAL_TEMPLATE = splitAtId(reportJson(FIRST_REPORT_ID, false));
const VIOLATING_TEMPLATE = splitAtId(reportJson(FIRST_REPORT_ID, true));

function splitAtId(json: string): [string, string] {
  const marker = String(FIRST_REPORT_ID);
  const at = json.indexOf(marker);
  return [json.slice(0, at), json.slice(at + marker.length)];
}

function reportJson(reportId: number, violating: boolean): string {
  const port = violating ? VIOLATING_PORT : ALLOWED_PORT;
  const report = {
    header: { report_id: reportId, version: '1.0' },
    metrics: {
      listening_tcp_ports: {
        ports: [
          { interface: 'eth0', port: 22 },
          { interface: 'eth0', port },
        ],
        total: 2,
      },
      listening_udp_ports: { ports: [{ interface: 'eth0', port: 5353 }], total: 1 },
      network_stats: {
        bytes_in: 40960,
        bytes_out: BYTES_OUT_PER_REPORT,
        packets_in: 40,
        packets_out: 20,
      },
      tcp_connections: {
        established_connections: {
          connections: [
            { local_interface: 'eth0', local_port: 443, remote_addr: '10.20.30.40:51000' },
            { local_interface: 'eth0', local_port: 8883, remote_addr: '192.168.7.9:40112' },
          ],
          total: 2,
        },
      },
    },
    custom_metrics: { [CUSTOM_METRIC]: [{ number: 55 }] },
  };
  return JSON.stringify(report);
}
