// The browser loads web/ as ES modules with no build step: one missing named export stops the
// whole interface from loading. This checks every relative named import against its target.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const WEB = join(process.cwd(), 'web');
const modules = [WEB, join(WEB, 'screens')].flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.js')).map((f) => join(dir, f)));

function exportsOf(file: string): Set<string> {
  const src = readFileSync(file, 'utf8');
  const names = new Set([...src.matchAll(/export\s+(?:async\s+)?(?:function\*?|const|let|class)\s+(\w+)/g)].map((m) => m[1]!));
  for (const m of src.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of m[1]!.split(',')) {
      const name = part.trim().split(/\s+as\s+/).pop();
      if (name) names.add(name);
    }
  }
  return names;
}

describe('web modules', () => {
  it('import only names their target modules export', () => {
    const missing: string[] = [];
    for (const file of modules) {
      for (const m of readFileSync(file, 'utf8').matchAll(/import\s*\{([^}]*)\}\s*from\s*'(\.[^']+)'/g)) {
        const have = exportsOf(resolve(dirname(file), m[2]!));
        for (const part of m[1]!.split(',')) {
          const name = part.trim().split(/\s+as\s+/)[0];
          if (name && !have.has(name)) missing.push(`${relative(WEB, file)}: ${name} from ${m[2]}`);
        }
      }
    }
    // Screens loaded on first use: lazy('<path>', '<export>') in app.js.
    const app = join(WEB, 'app.js');
    const lazy = [...readFileSync(app, 'utf8').matchAll(/lazy\('(\.[^']+)', '(\w+)'\)/g)];
    expect(lazy.length).toBeGreaterThan(10);
    for (const [, path, name] of lazy) if (!exportsOf(resolve(WEB, path!)).has(name!)) missing.push(`app.js: lazy ${name} from ${path}`);
    expect(modules.length).toBeGreaterThan(15);
    expect(missing).toEqual([]);
  });
});
