import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The chain that applied before it became a rule (src/judging/ranking.ts DEFAULT_TIE_BREAK_CHAIN), written out here so the migration never changes. */
const DEFAULT_CHAIN = ['presentation_score', 'untrimmed_sum', 'organizer_decision'];

/**
 * The tie-break chain becomes a contest rule (`rules.tieBreakChain`, in the rules JSON): existing
 * contests get the chain they were judged with, so their results are unchanged (and payloads on the
 * default chain do not record it, so stored snapshots verify as before). Data only; the service also
 * reads a missing chain as the default (withRuleDefaults).
 */
export class TieBreakChain1765100200000 implements MigrationInterface {
  name = 'TieBreakChain1765100200000';

  async up(q: QueryRunner): Promise<void> {
    await this.rewrite(q, (rules) => (Array.isArray(rules.tieBreakChain) ? null : { ...rules, tieBreakChain: DEFAULT_CHAIN }));
  }

  async down(q: QueryRunner): Promise<void> {
    await this.rewrite(q, (rules) => {
      if (!('tieBreakChain' in rules)) return null;
      const { tieBreakChain: _drop, ...rest } = rules;
      void _drop;
      return rest;
    });
  }

  private async rewrite(q: QueryRunner, change: (rules: Record<string, unknown>) => Record<string, unknown> | null): Promise<void> {
    const rows = (await q.query('SELECT id, rules FROM contests')) as { id: number; rules: string }[];
    for (const row of rows) {
      const next = change(JSON.parse(row.rules) as Record<string, unknown>);
      if (next) await q.query('UPDATE contests SET rules = ? WHERE id = ?', [JSON.stringify(next), row.id]);
    }
  }
}
