// Bulk seeding shared by the results and statistics benchmarks (documented there: fixtures by SQL,
// the measured part through the service's own code): the organisations and panels of a contest.

/** INSERT … VALUES ? in chunks of 2,000 rows. */
export async function insertRows(conn, table, columns, rows) {
  for (let i = 0; i < rows.length; i += 2000) await conn.query(`INSERT INTO ${table} (${columns.join(',')}) VALUES ?`, [rows.slice(i, i + 2000)]);
}

/** The ids a query selects, in its order. */
export async function ids(conn, sql, params) {
  const [rows] = await conn.query(sql, params);
  return rows.map((r) => r.id);
}

/**
 * Who takes part in a contest of n entries: 50 units, an enterprise per 5 entries (with an industry
 * when `industries` is given), four tracks, one panel of `expertsPerPanel` per `entriesPerPanel`
 * entries (its first expert leads). `usccLetter` keeps two benches' enterprises apart in one database, the tag in the code the contests of one run (BENCH_SIZES=1000,10000,50000).
 */
export async function seedParticipants(conn, { contestId, n, tag, now, entriesPerPanel, expertsPerPanel, usccLetter, industries = null }) {
  const unitCount = 50;
  await insertRows(conn, 'recommending_units', ['name', 'kind', 'created_at', 'updated_at'], Array.from({ length: unitCount }, (_, u) => [`推荐单位 ${tag}-${u + 1}`, 'industry_association', now, now]));
  const units = await ids(conn, 'SELECT id FROM recommending_units WHERE name LIKE ? ORDER BY id', [`推荐单位 ${tag}-%`]);
  const enterpriseCount = Math.ceil(n / 5);
  const columns = ['name', 'uscc', ...(industries ? ['industry'] : []), 'default_unit_id', 'status', 'created_at', 'updated_at'];
  await insertRows(conn, 'enterprises', columns, Array.from({ length: enterpriseCount }, (_, k) => [
    `滨海精工制造有限公司 ${tag}-${k + 1}`, `${usccLetter}${String(tag).padStart(7, '0').slice(-7)}${String(k).padStart(10, '0')}`, ...(industries ? [industries[k % industries.length]] : []), units[k % unitCount], 'approved', now, now,
  ]));
  const enterprises = await ids(conn, 'SELECT id FROM enterprises WHERE name LIKE ? ORDER BY id', [`滨海精工制造有限公司 ${tag}-%`]);
  await insertRows(conn, 'tracks', ['contest_id', 'name', 'created_at'], ['制造类', '服务类', '建设工程类', '创新类'].map((name) => [contestId, name, now]));
  const tracks = await ids(conn, 'SELECT id FROM tracks WHERE contest_id = ? ORDER BY id', [contestId]);
  const panelCount = Math.ceil(n / entriesPerPanel);
  await insertRows(conn, 'experts', ['name', 'employer_kind', 'employer_name', 'fields', 'created_at', 'updated_at'],
    Array.from({ length: panelCount * expertsPerPanel }, (_, k) => [`专家 ${tag}-${k + 1}`, 'other', '某大学', '[]', now, now]));
  const experts = await ids(conn, 'SELECT id FROM experts WHERE name LIKE ? ORDER BY id', [`专家 ${tag}-%`]);
  await insertRows(conn, 'panels', ['contest_id', 'track_id', 'name', 'leader_expert_id', 'created_at'],
    Array.from({ length: panelCount }, (_, p) => [contestId, tracks[p % tracks.length], `第${p + 1}评审组`, experts[p * expertsPerPanel], now]));
  const panels = await ids(conn, 'SELECT id FROM panels WHERE contest_id = ? ORDER BY id', [contestId]);
  return { unitCount, units, enterprises, tracks, experts, panels };
}
