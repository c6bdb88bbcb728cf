// `npm run migration:run` / `migration:revert`: the same data source, and the same locked migration run, as the service.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config.js';
import { buildDataSourceOptions } from './data-source.js';
import { bindSqliteIntegers } from './sqlite-binding.js';
import { revertLastMigration, runPendingMigrations } from './startup-lock.js';

const command = process.argv[2];
if (command !== 'run' && command !== 'revert') {
  console.error('usage: migrate.js run|revert');
  process.exit(2);
}
const config = loadConfig();
const dataSource = bindSqliteIntegers(new DataSource(await buildDataSourceOptions(config)));
await dataSource.initialize();
try {
  if (command === 'run') {
    const done = await runPendingMigrations(dataSource, config.migrationsWaitSeconds);
    console.log(done.length ? `applied: ${done.map((m) => m.name).join(', ')}` : 'nothing to apply');
  } else {
    await revertLastMigration(dataSource, config.migrationsWaitSeconds);
    console.log('reverted the last migration');
  }
} finally {
  await dataSource.destroy();
}
