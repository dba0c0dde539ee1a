/** The format stage: prettier over every emitted TypeScript/JSON/Markdown file, with one fixed config. */
import type { Options } from 'prettier';
import type { EmittedFile } from './emit/context.ts';

export const PRETTIER_OPTIONS: Options = {
  printWidth: 110,
  singleQuote: true,
  trailingComma: 'all',
  endOfLine: 'lf',
};

function parserFor(path: string): string | undefined {
  if (path.endsWith('.ts')) return 'typescript';
  if (path.endsWith('.json')) return 'json';
  if (path.endsWith('.md')) return 'markdown';
  return undefined;
}

export async function formatFiles(files: EmittedFile[]): Promise<EmittedFile[]> {
  // Loaded on demand: a no-op incremental run or `lookup` never pays for prettier.
  const prettier = await import('prettier');
  return Promise.all(
    files.map(async (f) => {
      const parser = parserFor(f.path);
      if (!parser || f.preformatted) return f;
      try {
        return { ...f, content: await prettier.format(f.content, { ...PRETTIER_OPTIONS, parser }) };
      } catch (e) {
        // A syntax error here is an emitter bug: name the file so it can be found.
        throw new Error(`prettier could not parse emitted ${f.path}: ${(e as Error).message.split('\n')[0]}`);
      }
    }),
  );
}
