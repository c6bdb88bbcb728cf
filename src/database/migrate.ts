// `npm run migration:run` / `migration:revert`: the same data source as the service.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config.js';
import { buildDataSourceOptions } from './data-source.js';

const command = process.argv[2];
if (command !== 'run' && command !== 'revert') {
  console.error('usage: migrate.js run|revert');
  process.exit(2);
}
const dataSource = new DataSource(await buildDataSourceOptions(loadConfig()));
await dataSource.initialize();
try {
  if (command === 'run') {
    const done = await dataSource.runMigrations({ transaction: 'each' });
    console.log(done.length ? `applied: ${done.map((m) => m.name).join(', ')}` : 'nothing to apply');
  } else {
    await dataSource.undoLastMigration({ transaction: 'each' });
    console.log('reverted the last migration');
  }
} finally {
  await dataSource.destroy();
}
