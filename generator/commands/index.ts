/**
 * CLI subcommands. Each module exports `run(argv, io)` resolving to an exit code
 * (0 ok, 1 invalid input / blocking source defect, 2 usage error). Loaded lazily so that
 * `dicom-dictgen lookup` does not pay for cheerio and prettier.
 */
export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** True when stderr is a TTY (progress bars). */
  isTTY: boolean;
  cwd: string;
}

export type CommandRun = (argv: string[], io: CliIo) => Promise<number>;

export const commands: Record<string, { summary: string; load: () => Promise<{ run: CommandRun }> }> = {
  generate: { summary: 'scrape sources, validate, and write the generated package', load: () => import('./generate.ts') },
  lookup: { summary: 'print a data element or UID entry (tag, keyword or UID)', load: () => import('./lookup.ts') },
  diff: { summary: 'compare two editions (snapshots, source dirs or configs): changelog and semver impact', load: () => import('./diff.ts') },
  fetch: { summary: 'download NEMA parts of an edition into the cache (sources.lock.json); --verify, --offline', load: () => import('./fetch.ts') },
  validate: { summary: 'validate datasets (DICOM JSON or naturalized) against their IOD: one line per finding, exit 1 on errors', load: () => import('./validate.ts') },
  site: { summary: 'write a static, searchable reference site of the standard from the IR (docs/site.md)', load: () => import('./site.ts') },
  private: { summary: 'extract private attributes from a conformance statement or private dictionary: table or --json', load: () => import('./private.ts') },
  lint: { summary: 'check the DICOM facts in conformance statements and handbooks against the dictionary: text, --json or SARIF', load: () => import('./lint.ts') },
};
