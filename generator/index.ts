/**
 * Programmatic API: `import { generate } from 'dicom-dictgen'`. Same options as the CLI, returns
 * the report as data, never calls process.exit (errors are thrown as `DictgenError`).
 */
export { generate, buildIr, loadIrSnapshot, inputStamp } from './pipeline.ts';
export type { GenerateOptions, GenerateResult, BuildIrOptions, Layer } from './pipeline.ts';
export type { EmitSelection } from './emit/context.ts';
export { DictgenError } from '../sources/common/errors.ts';
export type * from './ir.ts';
export { GENERATOR_VERSION } from './version.ts';
export { defaultSnapshot, defaultConfig, defaultOut } from './defaults.ts';
export { diffIr } from './diff/index.ts';
export { renderMarkdown, renderJson } from './diff/index.ts';
export { fetchEdition, verifyCache } from './fetch/index.ts';
