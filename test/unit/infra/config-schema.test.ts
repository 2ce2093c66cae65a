import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig, runtimeConfigJson } from '../../../infra/config.ts';
import { CONFIG_SCHEMA_FILE } from '../../../infra/config-json-schema.ts';
import { generatedText } from '../../../scripts/write-schemas.ts';
import { jsonSchemaValidator } from '../../fixtures/json-schema-validator.ts';
import { ROOT } from './helpers.ts';

const schema = JSON.parse(readFileSync(join(ROOT, CONFIG_SCHEMA_FILE), 'utf8')) as object;
// biome-ignore lint/suspicious/noExplicitAny: the tests edit the example's JSON freely
type Json = Record<string, any>;
const example = () => JSON.parse(readFileSync(join(ROOT, 'zcops.config.example.json'), 'utf8')) as Json;
const { validate } = jsonSchemaValidator();
const zodRejects = (raw: unknown): boolean => {
  try {
    parseConfig(raw);
    return false;
  } catch {
    return true;
  }
};

describe('zcops.config.schema.json', () => {
  it('is what the code generates (run npm run schemas after changing the config schema)', () => {
    expect(readFileSync(join(ROOT, CONFIG_SCHEMA_FILE), 'utf8')).toBe(generatedText(CONFIG_SCHEMA_FILE));
  });

  it('is referenced by the example, which both the schema and the loader accept ($schema ignored)', () => {
    const raw = example();
    expect(raw.$schema).toBe(`./${CONFIG_SCHEMA_FILE}`);
    expect(validate(schema, raw)).toEqual([]);
    expect(zodRejects(raw)).toBe(false);
    expect(runtimeConfigJson(parseConfig(raw))).not.toContain('$schema');
  });

  const mistakes: [string, (c: Json) => void][] = [
    ['no tenants', (c) => delete c.tenants],
    ['batchSize over 10', (c) => (c.worker = { batchSize: 11 })],
    ['a misspelt worker key', (c) => (c.worker = { maxConcurency: 10 })],
    ['an unknown log level', (c) => (c.logLevel = 'TRACE')],
    ['an unknown source kind', (c) => (c.sources[0].kind = 'email')],
    ['an account of 3 digits', (c) => (c.stack = { account: '123', region: 'eu-west-1' })],
    [
      'a schedule expression that is neither cron nor rate',
      (c) => (c.snapshotSchedules[0].expression = 'daily'),
    ],
    ['an upper-case source name', (c) => (c.sources[0].name = 'ServiceNow')],
    ['a string for a number', (c) => (c.intake = { maxBodyBytes: '65536' })],
    ['a misspelt key in a source', (c) => (c.sources[0].allowedAction = c.sources[0].allowedActions)],
  ];
  it.each(mistakes)('rejects what the zod schema rejects: %s', (_name, mutate) => {
    const raw = example();
    mutate(raw);
    expect(zodRejects(raw)).toBe(true);
    expect(validate(schema, raw)).not.toEqual([]);
  });
});
