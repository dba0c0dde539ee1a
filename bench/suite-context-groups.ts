/** Suite `context-groups`: the rows of bench/context-groups.ts in a fresh process (see bench/run.ts). */
import { bench } from './context-groups.ts';
import { finishSuite } from './kit.ts';

const rows = await bench();
finishSuite('context-groups', rows);
