import 'reflect-metadata';
import { loadConfig, ConfigError } from './config/app-config.js';
import { createApp } from './app.setup.js';

let config;
try {
  config = loadConfig();
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(78); // EX_CONFIG
  }
  throw e;
}
const app = await createApp(config);
await app.listen(config.port, config.host);
const where = config.databaseUrl ? 'MySQL/MariaDB' : `embedded SQLite (${config.sqliteFile})`;
console.log(`质量攻关成果评审系统 listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}/api (${where}); docs at /api/docs`);
