import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Jobs depend on ports (`shared/jobs/services.ts`), never on an AWS SDK client: no file under
 * `shared/jobs/` imports `@aws-sdk/*`, not even its types. Adapters live outside (`shared/aws/`,
 * `shared/snapshots/s3-object-store.ts`) and are given by the worker's wiring.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** `import … from`, `export … from`, `import '…'` and `import('…')` of an `@aws-sdk/` module. */
const SDK_IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]@aws-sdk\//;

describe('shared/jobs', () => {
  it('imports no @aws-sdk module', () => {
    const files = tsFiles(join(ROOT, 'shared/jobs'));
    expect(files.length).toBeGreaterThan(10);
    const offenders = files
      .filter((f) => SDK_IMPORT.test(readFileSync(f, 'utf8')))
      .map((f) => relative(ROOT, f));
    expect(offenders, 'AWS SDK imports under shared/jobs/: put a port in the job contract instead').toEqual(
      [],
    );
  });

  it('the pattern sees every form of import', () => {
    for (const line of [
      "import type { EC2Client } from '@aws-sdk/client-ec2';",
      'import { S3Client } from "@aws-sdk/client-s3";',
      "export { X } from '@aws-sdk/lib-storage';",
      "import '@aws-sdk/client-sqs';",
      "const m = await import('@aws-sdk/client-ec2');",
    ])
      expect(SDK_IMPORT.test(line), line).toBe(true);
    expect(SDK_IMPORT.test("import { S3ObjectStore } from '../snapshots/s3-object-store.ts';")).toBe(false);
  });
});
