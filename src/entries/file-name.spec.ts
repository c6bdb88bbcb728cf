import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { acceptableFileName, contentDisposition } from './file-name.js';

describe('acceptableFileName', () => {
  it('keeps ordinary names, Chinese and emoji included', () => {
    expect(acceptableFileName('成果报告 🏆 2020.pdf')).toBe('成果报告 🏆 2020.pdf');
    expect(acceptableFileName('  report.pdf ')).toBe('report.pdf');
    expect(acceptableFileName('a'.repeat(251) + '.pdf')).toBe('a'.repeat(251) + '.pdf');
    // 255 emoji are 510 UTF-16 units but 255 characters, which the column holds.
    expect(acceptableFileName('😀'.repeat(255))).toBe('😀'.repeat(255));
  });

  it('refuses paths, traversal, control characters, empty and overlong names', () => {
    for (const bad of ['../evil.pdf', '..\\evil.pdf', 'a/b.pdf', 'C:\\fakepath\\r.pdf', '/etc/passwd', '..', '.', '', '   ',
      'a\u0000.pdf', 'a\n.pdf', 'a\u007f.pdf', 'report\u202Efdp.exe', 'a'.repeat(256), '😀'.repeat(256)]) {
      expect(acceptableFileName(bad)).toBeNull();
    }
    expect(acceptableFileName(undefined)).toBeNull();
    expect(acceptableFileName(null)).toBeNull();
  });

  it('never returns a name with a separator or a control character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        const out = acceptableFileName(s);
        if (out !== null) {
          // eslint-disable-next-line no-control-regex
          expect(out).not.toMatch(/[/\\\u0000-\u001f\u007f]/);
          expect([...out].length).toBeLessThanOrEqual(255);
          expect(out.length).toBeGreaterThan(0);
        }
      }),
    );
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the UTF-8 name (RFC 5987)', () => {
    expect(contentDisposition('report.pdf')).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
    const v = contentDisposition('成果报告 "终版" (1).pdf');
    expect(v).toBe(`attachment; filename="____ ____ (1).pdf"; filename*=UTF-8''%E6%88%90%E6%9E%9C%E6%8A%A5%E5%91%8A%20%22%E7%BB%88%E7%89%88%22%20%281%29.pdf`);
    expect(decodeURIComponent(v.split("UTF-8''")[1])).toBe('成果报告 "终版" (1).pdf');
    // One stand-in per character, emoji included.
    expect(contentDisposition('🏆.pdf')).toBe(`attachment; filename="_.pdf"; filename*=UTF-8''%F0%9F%8F%86.pdf`);
  });
});
