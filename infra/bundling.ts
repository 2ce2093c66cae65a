/**
 * The one definition of how a zcops function is bundled. `ZcopsFunction` turns it into
 * `NodejsFunction` bundling options (CDK then runs the local esbuild CLI with them) and
 * `bench/coldstart.ts` turns it into esbuild API options, so the bench measures exactly what deploys.
 * No aws-cdk-lib import here: the bench loads this file without the CDK.
 *
 * @example
 * import { build } from 'esbuild';
 * await build(esbuildBuildOptions('functions/webhook/handler.ts', 'out/webhook/index.mjs'));
 */

/** Node.js major version of the Lambda runtime; esbuild's target follows it. */
export const NODE_MAJOR = 24;

/**
 * ESM bundles have no `require`; some CommonJS dependencies call it for Node built-ins, so every
 * bundle starts with one made by `createRequire` (the usual esbuild + Lambda ESM recipe).
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __zcopsCreateRequire } from 'node:module'; const require = __zcopsCreateRequire(import.meta.url);";

/** The settings both sides share. */
export const BUNDLE_SETTINGS = {
  format: 'esm',
  platform: 'node',
  target: `node${NODE_MAJOR}`,
  minify: true,
  // Minified class names would become one letter: errors set `this.name = new.target.name`, and that
  // name is a failed request's stored code and the audit's `errorClass`.
  keepNames: true,
  sourcemap: true,
  // The Node.js 24 runtime ships AWS SDK v3; leaving it out keeps bundles small.
  external: ['@aws-sdk/*'],
  banner: ESM_REQUIRE_BANNER,
  // Prefer ESM entry points of dependencies so tree shaking works.
  mainFields: ['module', 'main'],
  /** CDK names an ESM bundle `index.mjs`; the handler is `index.handler`. */
  outFile: 'index.mjs',
} as const;

/** Options for esbuild's `build()` that reproduce CDK's command line for one entry. */
export interface EsbuildBuildOptions {
  entryPoints: string[];
  outfile: string;
  bundle: true;
  format: 'esm';
  platform: 'node';
  target: string;
  minify: boolean;
  keepNames: boolean;
  sourcemap: boolean;
  external: string[];
  banner: { js: string };
  mainFields: string[];
  logLevel: 'warning';
}

/**
 * esbuild API options equal to the CLI arguments CDK passes for a `ZcopsFunction`
 * (`--bundle --target --platform --format --outfile --minify --keep-names --sourcemap --external --banner:js --main-fields`).
 */
export function esbuildBuildOptions(entry: string, outfile: string): EsbuildBuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: BUNDLE_SETTINGS.format,
    platform: BUNDLE_SETTINGS.platform,
    target: BUNDLE_SETTINGS.target,
    minify: BUNDLE_SETTINGS.minify,
    keepNames: BUNDLE_SETTINGS.keepNames,
    sourcemap: BUNDLE_SETTINGS.sourcemap,
    external: [...BUNDLE_SETTINGS.external],
    banner: { js: BUNDLE_SETTINGS.banner },
    mainFields: [...BUNDLE_SETTINGS.mainFields],
    logLevel: 'warning',
  };
}
