/**
 * `results:verify <contestId> [version]`: recomputes a contest's results from the raw score sheets and
 * compares them with the stored snapshot's hash — the current one (frozen, published or computed),
 * or the given version — and checks that hash against its audit anchor and every submitted sheet
 * against its marks, version row and audit event (one `SHEET:` line per problem). Same configuration and database as the service (DATABASE_URL, JWT_SECRET,
 * DATA_DIR, SQLITE_FILE). Writes nothing. Returns the exit status: 0 the hashes match, 1 they differ,
 * 2 bad arguments or nothing to verify.
 */
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config.js';
import { Contest } from '../contests/contest.entities.js';
import { buildDataSourceOptions } from '../database/data-source.js';
import { bindSqliteIntegers } from '../database/sqlite-binding.js';
import { currentSnapshot, snapshotByVersion } from './results.repository.js';
import { verifySnapshot } from './results-data.js';

export interface CommandOutput {
  log(line: string): void;
  error(line: string): void;
}

const isId = (s: string | undefined) => s !== undefined && /^[1-9]\d{0,9}$/.test(s);

export async function verifyCommand(args: readonly string[], env: Record<string, string | undefined>, out: CommandOutput): Promise<number> {
  const [contestArg, versionArg] = args;
  if (!isId(contestArg) || (versionArg !== undefined && !isId(versionArg)) || args.length > 2) {
    out.error('usage: npm run results:verify -- <contestId> [version]');
    return 2;
  }
  const contestId = Number(contestArg);
  const dataSource = bindSqliteIntegers(new DataSource(await buildDataSourceOptions(loadConfig(env))));
  await dataSource.initialize();
  try {
    return await dataSource.transaction(async (m) => {
      const contest = await m.getRepository(Contest).findOneBy({ id: contestId });
      if (!contest) {
        out.error(`contest ${contestId} not found`);
        return 2;
      }
      const snapshot = versionArg !== undefined ? await snapshotByVersion(m, contestId, Number(versionArg)) : await currentSnapshot(m, contestId);
      if (!snapshot) {
        out.error(`contest ${contestId}: no results snapshot${versionArg ? ` of version ${versionArg}` : ''}`);
        return 2;
      }
      const v = await verifySnapshot(m, contest, snapshot);
      out.log(JSON.stringify(v, null, 2));
      // One line per finding a person acts on, then the verdict as the last line.
      for (const p of v.sheets.problems) out.log(`SHEET: ${p.message}`);
      if (v.sheets.problemCount > v.sheets.problems.length) out.log(`SHEET: … ${v.sheets.problemCount - v.sheets.problems.length} more problems`);
      for (const p of v.anchor.problems) out.log(`ANCHOR: ${p} (audit event ${v.anchor.anchor?.eventId ?? 'none'}, anchored ${v.anchor.anchor?.hash ?? 'none'})`);
      out.log(
        v.ok
          ? `OK: contest ${contestId} version ${v.version} (${v.status}) recomputes to ${v.recomputedHash}; ${v.sheets.checked} sheets intact`
          : `MISMATCH: contest ${contestId} version ${v.version} (${v.status}): stored ${v.storedHash}, recomputed ${v.recomputedHash}, payload intact: ${v.payloadIntact}, ${v.differences.entryCount} entries differ, ` +
              `anchor ${v.anchor.ok ? 'ok' : v.anchor.problems.join('+')}, ${v.sheets.problemCount} sheet problems in ${v.sheets.sheetsWithProblems} of ${v.sheets.checked} sheets`,
      );
      return v.ok ? 0 : 1;
    });
  } finally {
    await dataSource.destroy();
  }
}
