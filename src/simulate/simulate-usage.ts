/** The help text of `warden simulate`, with the unit and default of every option. */

import { LIMITS } from './simulation-options.ts';

export const SIMULATE_USAGE = `Usage: warden simulate --devices N [--scenario NAME[,NAME...]] [--targets N|NAME[,NAME...]]
                       [--duration SECONDS] [--interval SECONDS] [--seed N] [--thing-group NAME]
                       [--data-dir DIR | --endpoint URL --mqtt-endpoint URL --server-ca FILE]
                       [--json]
       warden simulate --list

Runs a virtual fleet against a running Warden on this machine and plays adversary scenarios on
some of its devices. Without --scenario the fleet stays clean.

  --devices N        devices in the fleet, 1-${LIMITS.maxDevices}
  --scenario LIST    comma-separated scenario names (see --list)
  --targets N|LIST   devices each scenario acts on: a count the seed picks, or thing names (default 1)
  --duration S       real seconds the run lasts, at most ${LIMITS.maxDurationMs / 1000} (default 60)
  --interval S       real seconds between two reports of a device (default 1); Warden must run with
                     --report-interval at most this, or it rejects reports as Throttled
  --seed N           seed of the fleet's behavior and thing names, 0-${LIMITS.maxSeed} (default 1)
  --thing-group NAME thing group the devices join, created when missing
  --data-dir DIR     data directory of the running Warden (WARDEN_DATA_DIR, default ./warden-data)
  --endpoint URL     REST API of the running Warden, with --mqtt-endpoint and --server-ca
  --mqtt-endpoint URL  MQTT over TLS endpoint, e.g. mqtts://127.0.0.1:8883
  --server-ca FILE   PEM of the CA of Warden's server certificate (DATA_DIR/tls/server-ca.pem)
  --json             print the result as JSON instead of tables
  --list             list the scenarios with their ATT&CK technique and expected signal

Scenarios start halfway through the run, once every device has a clean history. One simulated
step of 5 minutes passes per report, so --duration 288 --interval 1 is one day. The things,
certificates and planted settings stay in Warden after the run, for the audit to find.`;
