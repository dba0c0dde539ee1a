/** Suite `diff`: the rows of bench/diff.ts in a fresh process (see bench/run.ts). */
import { bench } from './diff.ts';
import { finishSuite } from './kit.ts';

const rows = await bench();
finishSuite('diff', rows);
