/** One top-level declaration of generated TypeScript (`export type X …` or `export interface X …`), up to the next one; empty when absent. */
export function declaration(text: string, name: string): string {
  const m = new RegExp(`^export (?:type|interface) ${name}\\b`, 'm').exec(text);
  if (!name || !m) return '';
  const next = text.indexOf('\nexport ', m.index + 1);
  return text.slice(m.index, next < 0 ? undefined : next);
}
