import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { ESM_REQUIRE_BANNER, NODE_MAJOR } from '../infra/bundling.ts';

/** Where the CLI bundle goes, relative to the project root (`cli/zcops.mjs` loads it when installed). */
export const CLI_BUNDLE = 'dist/cli/zcops.mjs';

/**
 * Bundles the operator CLI (`cli/main.ts` and every dependency, AWS SDK included) into one ES
 * module, so an installed package runs it without TypeScript: Node strips types only outside
 * `node_modules`. Run by `prepack` (so `npm pack` and `npm publish` ship it) and by the CLI tests.
 *
 * @example
 * await buildCli('/path/to/project');
 */
export async function buildCli(root: string): Promise<string> {
  const outfile = join(root, CLI_BUNDLE);
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [join(root, 'cli', 'main.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: `node${NODE_MAJOR}`,
    minify: true,
    sourcemap: false,
    // CommonJS dependencies (the AWS SDK's) call require for Node built-ins.
    banner: { js: ESM_REQUIRE_BANNER },
    mainFields: ['module', 'main'],
    legalComments: 'none',
    logLevel: 'warning',
  });
  return outfile;
}

if (import.meta.main) {
  const out = await buildCli(join(import.meta.dirname, '..'));
  process.stdout.write(`wrote ${out}\n`);
}
