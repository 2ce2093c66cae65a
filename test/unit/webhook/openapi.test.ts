import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AcceptedAnswerSchema,
  ErrorAnswerSchema,
  RequestAnswerSchema,
} from '../../../functions/webhook/answers.ts';
import { createHandler } from '../../../functions/webhook/handler.ts';
import { openApiDocument } from '../../../functions/webhook/openapi.ts';
import { ROUTE_TABLE } from '../../../functions/webhook/routes.ts';
import { generatedText } from '../../../scripts/write-schemas.ts';
import { sign } from '../../../shared/core/webhook-signature.ts';
import { httpEvent } from '../../fixtures/events/index.ts';
import { memoryDeps, quietObservability, SECRETS } from '../../fixtures/events/intake-setup.ts';
import { jsonSchemaValidator } from '../../fixtures/json-schema-validator.ts';

// biome-ignore lint/suspicious/noExplicitAny: the test walks arbitrary JSON documents
type Json = Record<string, any>;
const root = join(import.meta.dirname, '..', '..', '..');
const committed = JSON.parse(readFileSync(join(root, 'docs', 'openapi.json'), 'utf8')) as Json;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

describe('docs/openapi.json', () => {
  it('is what the code generates (run npm run openapi after changing a route or schema)', () => {
    expect(readFileSync(join(root, 'docs', 'openapi.json'), 'utf8')).toBe(generatedText('docs/openapi.json'));
  });

  it('lists exactly the routes the handler serves', () => {
    const documented = Object.entries(committed.paths as Json)
      .flatMap(([path, item]) =>
        Object.keys(item)
          .filter((k) => METHODS.includes(k))
          .map((m) => `${m.toUpperCase()} ${path}`),
      )
      .sort();
    expect(documented).toEqual(ROUTE_TABLE.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('is a structurally valid OpenAPI 3.1 document', () => {
    expect(openApiProblems(committed)).toEqual([]);
    // The check itself catches what it looks for.
    const broken = structuredClone(committed);
    delete broken.paths['/v1/requests'].post.responses['202'].description;
    broken.paths['/v1/requests/{id}'].get.parameters = [];
    broken.paths['/v1/requests'].post.security = [{ nobody: [] }];
    broken.paths['/v1/requests'].post.requestBody.content['application/json'].schema = {
      $ref: '#/components/schemas/Nope',
    };
    const problems = openApiProblems(broken);
    for (const expected of [
      /POST \/v1\/requests 202: description required/,
      /unknown security scheme nobody/,
      /unresolved \$ref #\/components\/schemas\/Nope/,
      /\{id\} not declared as a path parameter/,
    ])
      expect(problems).toContainEqual(expect.stringMatching(expected));
  });

  it('GET /v1/openapi.json serves it without a credential; other methods get 405', async () => {
    const handler = createHandler({ ...memoryDeps(), ...quietObservability() });
    const a = await handler(httpEvent({ method: 'GET', path: '/v1/openapi.json' }));
    expect(a.statusCode).toBe(200);
    expect(JSON.parse(a.body)).toEqual(committed);
    const b = await handler(httpEvent({ method: 'POST', path: '/v1/openapi.json', body: '{}' }));
    expect(b.statusCode).toBe(405);
    expect(openApiDocument()).toBe(openApiDocument());
  });
});

/** Every example request of README.md and docs/*.md (curl commands) and of docs/api-examples.json. */
function exampleRequests(): { origin: string; path: string; body: string }[] {
  const out: { origin: string; path: string; body: string }[] = [];
  const files = [
    'README.md',
    ...readdirSync(join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8').replace(/\\\n/g, ' ');
    for (const line of text.split('\n')) {
      const m = /curl\b.*?https?:\/\/[^/\s]+(\/v1\/[^\s'"]+).*?(?:-d|--data(?:-raw)?)\s+'([^']*)'/.exec(line);
      if (m?.[1] && m[2]) out.push({ origin: file, path: m[1], body: m[2] });
    }
  }
  const fixture = JSON.parse(readFileSync(join(root, 'docs', 'api-examples.json'), 'utf8')) as Json;
  for (const [route, named] of Object.entries(fixture)) {
    for (const [name, example] of Object.entries(named as Json)) {
      out.push({
        origin: `docs/api-examples.json ${name}`,
        path: route.replace(/^POST /, ''),
        body: JSON.stringify(example.value),
      });
    }
  }
  return out;
}

describe("the README's and docs' example requests", () => {
  const examples = exampleRequests();
  const { validate } = jsonSchemaValidator();

  it('are found (curl commands and the examples file)', () => {
    expect(examples.some((e) => e.origin.startsWith('docs/local-and-cli.md'))).toBe(true);
    expect(
      new Set(examples.filter((e) => e.origin.startsWith('docs/api-examples')).map((e) => e.path)),
    ).toEqual(new Set(['/v1/requests', '/v1/hooks/servicenow', '/v1/hooks/jira', '/v1/hooks/teardown']));
  });

  it("match the spec's request schema and are accepted by the handler (202, or 200 for a repeat)", async () => {
    const deps = memoryDeps();
    const handler = createHandler({ ...deps, ...quietObservability() });
    for (const example of examples) {
      const op = committed.paths[example.path]?.post as Json | undefined;
      expect(op, `${example.origin}: POST ${example.path} is not in the spec`).toBeDefined();
      const schema = resolve(committed, op!.requestBody.content['application/json'].schema);
      expect(validate(withComponents(schema), JSON.parse(example.body)), example.origin).toEqual([]);
      const answer = await handler(
        httpEvent({
          path: example.path,
          body: example.body,
          headers: credentialFor(example.path, example.body, deps.clock.now()),
        }),
      );
      expect([200, 202], `${example.origin}: ${answer.body}`).toContain(answer.statusCode);
      const parsed = AcceptedAnswerSchema.parse(JSON.parse(answer.body));
      expect(
        validate(
          withComponents(resolve(committed, op!.responses['202'].content['application/json'].schema)),
          parsed,
        ),
      ).toEqual([]);
    }
  });

  it("the spec's schemas refuse what the intake refuses, and describe its real answers", async () => {
    const submission = withComponents(committed.components.schemas.Submission);
    expect(validate(submission, { tenant: 'acme', reason: 'x' })).not.toEqual([]);
    expect(
      validate(submission, {
        action: 'appConnector.delete',
        tenant: 'acme',
        reason: 'x',
        connector: { id: '1' },
        typo: 1,
      }),
    ).not.toEqual([]);
    expect(
      validate(submission, {
        action: 'appConnector.cleanup',
        tenant: 'ACME',
        reason: 'x',
        disconnectedFor: '1d',
      }),
    ).not.toEqual([]);

    const deps = memoryDeps();
    const handler = createHandler({ ...deps, ...quietObservability() });
    const text = JSON.stringify({
      action: 'appConnector.delete',
      tenant: 'acme',
      reason: 'r',
      connector: { id: '72057615512764537' },
    });
    const ok = await handler(
      httpEvent({
        path: '/v1/requests',
        body: text,
        headers: { authorization: `Bearer ${SECRETS.apiBearer}` },
      }),
    );
    const id = AcceptedAnswerSchema.parse(JSON.parse(ok.body)).requestId;
    const get = await handler(
      httpEvent({
        method: 'GET',
        path: `/v1/requests/${id}`,
        headers: { authorization: `Bearer ${SECRETS.apiBearer}` },
      }),
    );
    const view = JSON.parse(get.body);
    expect(RequestAnswerSchema.parse(view)).toBeTruthy();
    expect(validate(withComponents(committed.components.schemas.Request), view)).toEqual([]);
    const bad = await handler(
      httpEvent({
        path: '/v1/requests',
        body: '{"action":"nope"}',
        headers: { authorization: `Bearer ${SECRETS.apiBearer}` },
      }),
    );
    expect(bad.statusCode).toBe(400);
    expect(ErrorAnswerSchema.parse(JSON.parse(bad.body)).error.issues?.length).toBeGreaterThan(0);
    expect(validate(withComponents(committed.components.schemas.Error), JSON.parse(bad.body))).toEqual([]);
  });
});

/** The credential of the test source behind each route. */
function credentialFor(path: string, body: string, nowMs: number): Record<string, string> {
  if (path === '/v1/hooks/servicenow') return { authorization: `Bearer ${SECRETS.snBearer}` };
  if (path === '/v1/hooks/jira') return { authorization: `Bearer ${SECRETS.jiraBearer}` };
  if (path === '/v1/hooks/teardown') {
    const ts = String(Math.floor(nowMs / 1000));
    return { 'x-zcops-timestamp': ts, 'x-zcops-signature': sign(SECRETS.genericHmac, ts, body) };
  }
  return { authorization: `Bearer ${SECRETS.apiBearer}` };
}

function resolve(doc: Json, node: Json): Json {
  if (typeof node.$ref !== 'string') return node;
  return node.$ref
    .slice(2)
    .split('/')
    .reduce((n: Json, k: string) => n?.[k], doc);
}

/** A schema that may `$ref` the document's components, made standalone for the validator. */
function withComponents(schema: Json): Json {
  const text = JSON.stringify(schema).replaceAll('"#/components/schemas/', '"#/$defs/');
  return { ...JSON.parse(text), $defs: committed.components.schemas };
}

/**
 * Structural problems of an OpenAPI 3.1 document: the fields the specification requires, where it
 * requires them; every `$ref` resolved; every security requirement naming a declared scheme; path
 * templates declared as path parameters; every schema a valid JSON Schema 2020-12 (Ajv compiles it).
 */
function openApiProblems(doc: Json): string[] {
  const problems: string[] = [];
  const add = (p: string) => problems.push(p);
  const allowedTop = [
    'openapi',
    'info',
    'jsonSchemaDialect',
    'servers',
    'paths',
    'webhooks',
    'components',
    'security',
    'tags',
    'externalDocs',
  ];
  for (const k of Object.keys(doc))
    if (!allowedTop.includes(k) && !k.startsWith('x-')) add(`unknown top-level field ${k}`);
  if (typeof doc.openapi !== 'string' || !/^3\.1\.\d+$/.test(doc.openapi)) add('openapi must be 3.1.x');
  if (typeof doc.info?.title !== 'string' || typeof doc.info?.version !== 'string')
    add('info.title and info.version are required');
  if (!doc.paths && !doc.components && !doc.webhooks) add('paths, components or webhooks is required');
  const schemes = doc.components?.securitySchemes ?? {};
  for (const [name, s] of Object.entries(schemes as Json)) {
    if (!['apiKey', 'http', 'mutualTLS', 'oauth2', 'openIdConnect'].includes(s.type))
      add(`securityScheme ${name}: bad type`);
    if (s.type === 'apiKey' && (typeof s.name !== 'string' || !['query', 'header', 'cookie'].includes(s.in)))
      add(`securityScheme ${name}: apiKey needs name and in`);
    if (s.type === 'http' && typeof s.scheme !== 'string') add(`securityScheme ${name}: http needs scheme`);
  }
  const ids = new Set<string>();
  const { ajv } = jsonSchemaValidator();
  ajv.addSchema({ $id: 'urn:zcops:openapi-components', $defs: doc.components?.schemas ?? {} });
  const compiles = (schema: Json, where: string) => {
    try {
      const text = JSON.stringify(schema).replaceAll(
        '"#/components/schemas/',
        '"urn:zcops:openapi-components#/$defs/',
      );
      ajv.compile(JSON.parse(text));
    } catch (err) {
      add(`${where}: not a valid JSON Schema (${(err as Error).message})`);
    }
  };
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Json)) {
    if (!path.startsWith('/')) add(`path ${path} must start with /`);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const [method, op] of Object.entries(item as Json)) {
      if (!METHODS.includes(method)) continue;
      const where = `${method.toUpperCase()} ${path}`;
      if (op.operationId) {
        if (ids.has(op.operationId)) add(`${where}: duplicate operationId`);
        ids.add(op.operationId);
      }
      const responses = Object.entries((op.responses ?? {}) as Json);
      if (responses.length === 0) add(`${where}: responses required`);
      for (const [code, r] of responses) {
        if (!/^([1-5](\d\d|XX)|default)$/.test(code)) add(`${where} ${code}: bad status code`);
        if (typeof r.description !== 'string') add(`${where} ${code}: description required`);
        for (const [type, media] of Object.entries((r.content ?? {}) as Json))
          if (media.schema) compiles(media.schema, `${where} ${code} ${type}`);
      }
      for (const req of op.security ?? [])
        for (const name of Object.keys(req))
          if (!(name in schemes)) add(`${where}: unknown security scheme ${name}`);
      const params = (op.parameters ?? []) as Json[];
      for (const p of params) {
        if (typeof p.name !== 'string' || !['query', 'header', 'path', 'cookie'].includes(p.in))
          add(`${where}: parameter needs name and in`);
        if (p.in === 'path' && (p.required !== true || !templated.includes(p.name)))
          add(`${where}: path parameter ${p.name} must be required and in the path`);
        if (!p.schema && !p.content) add(`${where}: parameter ${p.name} needs schema or content`);
      }
      for (const t of templated)
        if (!params.some((p) => p.in === 'path' && p.name === t))
          add(`${where}: {${t}} not declared as a path parameter`);
      for (const [type, media] of Object.entries((op.requestBody?.content ?? {}) as Json))
        if (media.schema) compiles(media.schema, `${where} body ${type}`);
    }
  }
  for (const [name, schema] of Object.entries((doc.components?.schemas ?? {}) as Json))
    compiles(schema, `components.schemas.${name}`);
  // Every $ref resolves inside the document.
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const ref = (node as Json).$ref;
    if (typeof ref === 'string' && ref.startsWith('#/') && resolve(doc, { $ref: ref }) === undefined)
      add(`unresolved $ref ${ref}`);
    for (const v of Object.values(node)) walk(v);
  };
  walk(doc);
  return problems;
}
