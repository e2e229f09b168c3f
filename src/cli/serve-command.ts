import { createLogger } from '../core/logger.ts';
import { readAlertTargets } from '../service/alert-targets-file.ts';
import { readServeConfig, serveUsage } from '../service/config.ts';
import { WardenService } from '../service/warden-service.ts';

/**
 * Runs `warden serve` until SIGTERM or SIGINT, then shuts down cleanly: the listeners close,
 * accepted reports finish and the store is flushed and closed before the process exits.
 */
export async function runServeCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${serveUsage()}\n`);
    return 0;
  }
  let config;
  try {
    config = readServeConfig(argv, process.env);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${serveUsage()}\n`);
    return 2;
  }

  const logger = createLogger({ level: config.logLevel });
  const alertTargets =
    config.alertTargetsFile === undefined ? [] : await readAlertTargets(config.alertTargetsFile);
  const service = new WardenService({ ...config, logger, alertTargets });
  const endpoints = await service.start();
  const root = service.rootCredentials;
  const keySource =
    root.file === undefined ? 'WARDEN_ROOT_ACCESS_KEY_ID' : `${root.file}, profile warden`;
  process.stdout.write(
    `Warden is serving\n  MQTT (TLS): ${endpoints.mqtt}\n  HTTP API:   ${endpoints.http} (SigV4)\n  root key:   ${root.accessKeyId} (${keySource})\n  server CA:  ${config.dataDir}/tls/server-ca.pem\n`,
  );

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await service.stop();
  return 0;
}
