// Entry point: validate config (exit 1 with a clear message when it is bad), build the app,
// listen (starting the app registers the demo host, see HostsService.onApplicationBootstrap).
import { ConfigError, loadConfig, type AppConfig } from './config/app-config.js';
import { createApp } from './app.factory.js';
import { JsonLogger } from './common/json-logger.js';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`virtfleet: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = new JsonLogger(config.logLevel);
  const app = await createApp(config, logger);
  await app.listen(config.port, config.bindAddress);
  const base = `http://${config.bindAddress === '0.0.0.0' ? '127.0.0.1' : config.bindAddress}:${config.port}`;
  logger.log({ msg: 'virtfleet API listening', url: base, docs: `${base}/api/docs` }, 'Bootstrap');
  process.stdout.write(`\nvirtfleet is up: API docs at ${base}/api/docs  (health: ${base}/health/ready)\n\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`virtfleet: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
