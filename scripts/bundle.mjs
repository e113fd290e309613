// Bundles the compiled CLI (dist/, from tsc) into two files under dist/bundle/:
// the command line and the parse worker. Loading ~400 small modules (most of
// them @stdlib's, behind the beta quantile) cost 150–250 ms of every run, a third
// of a report on a small file; one file loads in a fraction of that.
//
// The bundle keeps dist/'s layout one level down, so the paths the code builds
// from import.meta.url still resolve: ../../package.json for the version, and
// ./parse-worker.js next to the CLI for the workers. Packages the code loads at
// run time through createRequire (yaml, date-fns' parser, @duckdb/node-api)
// stay outside and are resolved from node_modules as before.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

await build({
  absWorkingDir: root,
  entryPoints: { cli: 'dist/cli/main.js', 'parse-worker': 'dist/ingest/parse-worker.js' },
  outdir: 'dist/bundle',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // CommonJS dependencies call require() for Node's own modules; an ES module has none.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  external: ['@duckdb/node-api'],
  // With NODE_OPTIONS=--enable-source-maps, --debug's stack traces name the TypeScript sources.
  sourcemap: 'linked',
  logLevel: 'warning',
});
