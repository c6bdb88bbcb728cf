import type { ValueTransformer } from 'typeorm';

/** JSON kept in a text column: the same on both databases, and what is stored is what is hashed. */
export const jsonText: ValueTransformer = {
  to: (v: unknown) => (v === undefined ? undefined : v === null ? null : JSON.stringify(v)),
  from: (v: string | null) => (v === null || v === undefined ? null : JSON.parse(v)),
};

/** bigint comes back as a string from MySQL and a number from SQLite: numbers here (yuan stay far below 2^53). */
export const bigintNumber: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | number | null) => (v === null || v === undefined ? null : Number(v)),
};
