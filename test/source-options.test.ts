import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { checkSourceOrConfig, resolveSourceAndConfig } from '../generator/commands/source-options.ts';

describe('--source / --config shared by the commands', () => {
  it('refuses both at once, naming the command', () => {
    expect(() => checkSourceOrConfig('site', { source: ['a'], config: 'c.ts' })).toThrow('site: --source and --config are exclusive');
    expect(() => checkSourceOrConfig('generate', { source: ['a'] })).not.toThrow();
  });

  it('resolves paths against cwd and leaves absent flags absent', () => {
    expect(resolveSourceAndConfig({ source: ['x', '/abs/y'] }, '/work/here')).toEqual({ source: [resolve('/work/here', 'x'), '/abs/y'] });
    expect(resolveSourceAndConfig({ config: 'dictgen.config.ts' }, '/w')).toEqual({ config: resolve('/w', 'dictgen.config.ts') });
    expect(resolveSourceAndConfig({}, '/w')).toEqual({});
  });

  it('refuses an empty --source or --config instead of reading the cwd or ignoring the flag', () => {
    expect(() => resolveSourceAndConfig({ source: ['a', ''] }, '/w')).toThrow('--source: empty path');
    expect(() => resolveSourceAndConfig({ source: ['  '] }, '/w')).toThrow('--source: empty path');
    expect(() => resolveSourceAndConfig({ config: '' }, '/w')).toThrow('--config: empty path');
  });
});
