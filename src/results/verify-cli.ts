// `npm run results:verify -- <contestId> [version]` (after `npm run build`): see verify-command.ts.
// Exit status: 0 the stored hash recomputes, 1 it does not, 2 bad arguments, nothing to verify, or
// an error (configuration, database).
import 'reflect-metadata';
import { verifyCommand } from './verify-command.js';

try {
  process.exitCode = await verifyCommand(process.argv.slice(2), process.env, console);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 2;
}
