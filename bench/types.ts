/** One measured line of `npm run bench`. `ratio` compares against the named peer in the same run. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** Target the issue sets, e.g. `< 3000 ms`; checked and printed, never asserted in tests. */
  target?: string;
  ok?: boolean;
  peer?: { name: string; value: number; ratio: number };
  note?: string;
}
export type BenchModule = () => Promise<BenchRow[]>;
