/**
 * Words a generated identifier must never be: JavaScript/TypeScript reserved and contextual
 * keywords, and names that break objects or modules (`__proto__`, `constructor`, `prototype`).
 * Shared by every rule that turns source text into identifiers (emit/context.ts, context groups).
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'implements interface let package private protected public static yield await any boolean number string symbol ' +
    'undefined never unknown object bigint declare type namespace module arguments eval constructor prototype __proto__'
  ).split(' '),
);
