// Architecture checks that read src/ as text (one clock, one access layer): the .ts files (specs
// aside) and the lines of code (comments stripped) that match a pattern, as `file:line: code`.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const SRC = join(process.cwd(), 'src');

/** The .ts files below `dir`, specs left out, and folders in `skipDirs` (absolute paths) too. */
export function sources(dir: string, skipDirs: readonly string[] = []): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return skipDirs.includes(path) ? [] : sources(path, skipDirs);
    return d.name.endsWith('.ts') && !d.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** `file:line: code` for every line of `files` (but the `allowed` ones, repo-relative) whose code matches `pattern`. */
export function matchingLines(files: readonly string[], pattern: RegExp, allowed: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const file of files) {
    const rel = relative(process.cwd(), file).split('\\').join('/');
    if (allowed.has(rel)) continue;
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, '');
      if (pattern.test(code)) out.push(`${rel}:${i + 1}: ${line.trim()}`);
    });
  }
  return out;
}
