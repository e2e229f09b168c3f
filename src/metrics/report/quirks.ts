/**
 * Corrections for what real Device Defender agents send, applied to a validated report before it
 * becomes datapoints. Other quirks need no correction and are accepted as sent:
 * - cumulative `network_stats` counters (the embedded-C and FreeRTOS demos) are treated as
 *   deltas, like every counter, because one report cannot show which kind it carries.
 * - report ids in epoch milliseconds (aws-c-iot) are larger integers and still safe.
 * - empty port lists with `total: 0` (embedded-C demo) give an empty ports datapoint.
 * - reports with only `custom_metrics` are valid.
 */
import type { ValidReport } from './types.ts';

/** Applies every agent correction to `report` in place and records a note for each. */
export function applyAgentQuirks(report: ValidReport): void {
  moveUdpListenersOutOfTcpList(report);
}

/**
 * Undoes a bug of aws-c-iot, the Device Defender client of the AWS IoT Device SDKs v2 and the AWS
 * IoT Device Client. It appends UDP listeners to `listening_tcp_ports.ports` after the TCP ones,
 * because it reads /proc/net/tcp before /proc/net/udp. It leaves `listening_udp_ports.ports`
 * empty, while both `total` fields count correctly.
 *
 * Only that exact signature is corrected: the TCP list is longer than its `total`, the UDP list is
 * absent or empty, the UDP `total` is above 0, and the surplus equals the UDP `total`. Other
 * agents never send more TCP entries than their `total` (the Python agent samples lists down to
 * 50 entries, keeping the full count in `total`), so their reports are left as they are.
 */
export function moveUdpListenersOutOfTcpList(report: ValidReport): boolean {
  const tcp = report.listeningTcpPorts;
  const udp = report.listeningUdpPorts;
  if (tcp?.ports === undefined || tcp.total === undefined) return false;
  if (udp?.total === undefined || udp.total === 0) return false;
  if (udp.ports !== undefined && udp.ports.length > 0) return false;

  const surplus = tcp.ports.length - tcp.total;
  if (surplus !== udp.total) return false;

  udp.ports = tcp.ports.splice(tcp.total, surplus);
  report.notes.push(
    `Moved ${surplus} UDP listener(s) that the aws-c-iot agent appended to the TCP ports list ` +
      'into the UDP ports list',
  );
  return true;
}
