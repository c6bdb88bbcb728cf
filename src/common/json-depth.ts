/**
 * How deeply a JSON text nests objects and arrays, found in one pass over the characters without
 * parsing or recursion, so that a body nested thousands of levels deep is refused before JSON.parse,
 * class-transformer and class-validator (all recursive) ever see it.
 */

/** No request body of this API nests deeper than a handful of levels. */
export const MAX_JSON_DEPTH = 32;

const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \
const OPEN_BRACE = 0x7b; // {
const CLOSE_BRACE = 0x7d; // }
const OPEN_BRACKET = 0x5b; // [
const CLOSE_BRACKET = 0x5d; // ]

/**
 * The deepest nesting of `{`/`[` outside strings (`1` → 0, `{}` → 1, `[{}]` → 2). Never throws: any
 * text, valid JSON or not, gives a number. The scan stops as soon as the depth passes `stopAbove`.
 * Works on bytes too: in UTF-8 no byte of a multi-byte character is below 0x80, so the ASCII
 * delimiters are found the same way.
 */
export function jsonNestingDepth(text: string | Uint8Array, stopAbove = Infinity): number {
  const at = typeof text === 'string' ? (i: number) => text.charCodeAt(i) : (i: number) => text[i];
  const n = text.length;
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < n; i++) {
    const c = at(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > stopAbove) return deepest;
      }
    } else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && depth > 0) {
      depth--;
    }
  }
  return deepest;
}

/** True when the text nests deeper than `max` levels (stops scanning as soon as it does). */
export function jsonTooDeep(text: string | Uint8Array, max = MAX_JSON_DEPTH): boolean {
  return jsonNestingDepth(text, max) > max;
}
