export type * from './report/report-types.js';
export { run, main } from './cli/main.js';
export { analyze } from './analysis/analyze.js';
