/** A LIKE pattern for "contains", with `!` as the escape character (the same on MySQL and SQLite). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}
