import type { TableColumnOptions } from 'typeorm';

/** Portable column builders: the same DDL on MySQL/MariaDB and SQLite. */
export const col = {
  // 'integer': SQLite allows AUTOINCREMENT only on INTEGER PRIMARY KEY; MySQL reads it as int.
  id: (name = 'id'): TableColumnOptions => ({ name, type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' }),
  // 'integer' too: SQLite's name for the entities' int, the same int on MySQL.
  int: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'integer', isNullable: nullable }),
  varchar: (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable }),
  text: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable }),
  bool: (name: string): TableColumnOptions => ({ name, type: 'boolean', isNullable: false }),
  bigint: (name: string): TableColumnOptions => ({ name, type: 'bigint', isNullable: false }),
  datetime: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'datetime', isNullable: nullable }),
};
