/** Suite `iods`: the rows of bench/iods.ts in a fresh process (see bench/run.ts). */
import { bench } from './iods.ts';
import { finishSuite } from './kit.ts';

const rows = await bench();
finishSuite('iods', rows);
