import * as z from 'zod';
import examples from '../../docs/api-examples.json' with { type: 'json' };
import {
  JIRA_DEFAULT_FIELDS,
  type MappedField,
  SERVICENOW_DEFAULT_FIELDS,
} from '../../shared/config/itsm-fields.ts';
import { TeardownHookBodySchema } from '../../shared/intake/teardown-hook.ts';
import { CanonicalRequestSchema } from '../../shared/requests/request.ts';
import { AppConnectorGroupCreateBodySchema } from '../../shared/zscaler/schemas/app-connector-group.ts';
import { PccGroupCreateBodySchema } from '../../shared/zscaler/schemas/pcc-group.ts';
import { AcceptedAnswerSchema, ErrorAnswerSchema, RequestAnswerSchema } from './answers.ts';

/** The API's version in the document; raise it when a route, body or answer changes. */
export const API_VERSION = '1.0.0';

type Json = Record<string, unknown>;

/** A zod schema as a JSON Schema 2020-12 object (OpenAPI 3.1's dialect), without `$schema`. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
    // Refinements and custom checks cannot be written in JSON Schema; the intake still applies them.
    unrepresentable: 'any',
  }) as Json;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/**
 * The body of `POST /v1/requests`: the canonical request the intake validates, with what the intake
 * fills in itself made optional (`source.kind` and `source.name` come from the authenticated
 * source), and each group body replaced by the Zscaler client schema it is checked with.
 */
function submissionSchema(): Json {
  const schema = jsonSchema(CanonicalRequestSchema);
  const groupBodies: Record<string, Json> = {
    'appConnectorGroup.create': jsonSchema(AppConnectorGroupCreateBodySchema),
    'pccGroup.create': jsonSchema(PccGroupCreateBodySchema),
  };
  for (const branch of (schema.oneOf ?? schema.anyOf) as Json[]) {
    const props = branch.properties as Record<string, Json>;
    branch.required = (branch.required as string[]).filter((k) => k !== 'source');
    const source = props.source as Json;
    source.required = (source.required as string[]).filter((k) => k !== 'kind' && k !== 'name');
    source.description =
      'Optional: `ref` is your reference (ticket number); kind and name are set from the authenticated source.';
    // `by` of a connector or VM reference is inferred from the fields given (ConnectorRefSchema, VmRefSchema).
    for (const refField of ['connector', 'vm']) {
      for (const choice of (props[refField]?.oneOf ?? []) as Json[]) {
        choice.required = (choice.required as string[]).filter((k) => k !== 'by');
      }
    }
    const action = (props.action as Json).const as string;
    const group = groupBodies[action];
    if (group) {
      props.group = {
        ...group,
        description: 'the group body; `versionProfileName` (beside it) may stand in for versionProfileId',
      };
    }
  }
  return schema;
}

/**
 * An ITSM body with its default field paths (`itsm.fields` renames them): nested objects for
 * dotted paths; any value (option objects `{value}` are unwrapped); unknown fields allowed.
 */
function itsmBodySchema(paths: Readonly<Record<MappedField, string>>, system: string): Json {
  const root: Json = { type: 'object', properties: {}, additionalProperties: true };
  const required: MappedField[] = ['ticket', 'action', 'tenant'];
  for (const [field, path] of Object.entries(paths) as [MappedField, string][]) {
    const keys = path.split('.');
    let parent = root;
    keys.forEach((key, i) => {
      if (required.includes(field)) {
        parent.required = [...new Set([...((parent.required as string[]) ?? []), key])];
      }
      const props = parent.properties as Record<string, Json>;
      if (i === keys.length - 1) {
        props[key] = { description: `${field} (default mapping)` };
      } else {
        props[key] ??= { type: 'object', properties: {}, additionalProperties: true };
        parent = props[key];
      }
    });
  }
  root.description = `A ${system} body. Field paths shown are the defaults; a source's itsm.fields maps others.`;
  return root;
}

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: ref('Error') } },
});

const SUBMIT_ERRORS = {
  '400': error('invalid JSON or request: every issue with its field'),
  '401': error('no credential, or one that matches no source (signature, timestamp or token)'),
  '403': error('the source may not use this route, action, tenant, group or force'),
  '409': error(
    'an idempotency key (or Jira delivery) reused with another body, or the same submission still in progress (Retry-After)',
  ),
  '413': error('the body exceeds intake.maxBodyBytes'),
  '415': error('the body is not application/json'),
  '503': error('a dependency failed; nothing was accepted, retry (Retry-After)'),
};

/** Callers authenticate with one of these; the header `X-Zcops-Source` is an optional hint. */
const SECURITY = [{ bearer: [] }, { zcopsSignature: [], zcopsTimestamp: [] }];

const sourceHint = {
  name: 'X-Zcops-Source',
  in: 'header',
  required: false,
  description:
    'Optional: the source name. Without it the credential finds its source; give it when one credential serves several sources.',
  schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' },
};

function post(summary: string, bodySchema: string, operationId: string, extra: Json = {}): Json {
  const path = `POST ${extra.path as string}`;
  const { path: _path, security, parameters, description } = extra;
  return {
    operationId,
    summary,
    ...(description ? { description } : {}),
    security: security ?? SECURITY,
    parameters: [sourceHint, ...((parameters as Json[]) ?? [])],
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: ref(bodySchema),
          examples: (examples as Record<string, Json>)[path] ?? {},
        },
      },
    },
    responses: {
      '202': {
        description: 'accepted: recorded and queued',
        content: { 'application/json': { schema: ref('Accepted') } },
      },
      '200': {
        description: 'a duplicate: the original request and its state now (`duplicate: true`)',
        content: { 'application/json': { schema: ref('Accepted') } },
      },
      ...SUBMIT_ERRORS,
    },
  };
}

/**
 * The webhook API's OpenAPI 3.1 document, generated from the zod schemas the intake validates with
 * and answers by (`answers.ts`). Served at `GET /v1/openapi.json`, written to `docs/openapi.json`
 * by `npm run openapi`; a test keeps both and the route table equal.
 *
 * @example
 * const doc = openApiDocument(); // { openapi: '3.1.1', paths: { '/v1/requests': { post: … } }, … }
 */
export function openApiDocument(): Json {
  cached ??= build();
  return cached;
}
let cached: Json | undefined;

function build(): Json {
  return {
    openapi: '3.1.1',
    info: {
      title: 'zcops intake API',
      version: API_VERSION,
      description:
        "Submit Zscaler connector lifecycle requests, receive ServiceNow, Jira and scale-in webhooks, and follow requests. Every route but this document needs a credential: a bearer token, an X-Zcops-Signature, or (Jira hook) Jira's X-Hub-Signature. The credential identifies the calling source.",
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/', description: 'the ApiUrl output of the stack, or http://127.0.0.1:8787 locally' }],
    paths: {
      '/v1/requests': {
        post: post('Submit a canonical request', 'Submission', 'submitRequest', { path: '/v1/requests' }),
      },
      '/v1/hooks/servicenow': {
        post: post('Receive a ServiceNow change request', 'ServiceNowChange', 'serviceNowHook', {
          path: '/v1/hooks/servicenow',
        }),
      },
      '/v1/hooks/jira': {
        post: post('Receive a Jira webhook', 'JiraWebhook', 'jiraHook', {
          path: '/v1/hooks/jira',
          description:
            "Jira Cloud's own webhooks (System > WebHooks, with a secret) are accepted as Jira sends them: `X-Hub-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`; a redelivery with the same `X-Atlassian-Webhook-Identifier` is answered as a duplicate of the original request.",
          security: [...SECURITY, { jiraSignature: [] }],
          parameters: [
            {
              name: 'X-Atlassian-Webhook-Identifier',
              in: 'header',
              required: false,
              description:
                "Jira Cloud's id of the delivery, the same on its retries: a redelivery answers the original request.",
              schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,200}$' },
            },
          ],
        }),
      },
      '/v1/hooks/teardown': {
        post: post('Receive a scale-in hook of another cloud', 'TeardownHook', 'teardownHook', {
          path: '/v1/hooks/teardown',
        }),
      },
      '/v1/requests/{id}': {
        get: {
          operationId: 'getRequest',
          summary: 'A request: state, outcome and audit trail',
          description:
            'Sign the empty body when using X-Zcops-Signature. A source sees only requests of tenants it may act on.',
          security: SECURITY,
          parameters: [
            sourceHint,
            { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
          ],
          responses: {
            '200': {
              description: 'the request',
              content: { 'application/json': { schema: ref('Request') } },
            },
            '400': error('the id is not a UUID'),
            '401': error('no valid credential'),
            '404': error('no such request (or not one of your tenants)'),
            '503': error('the requests table is unavailable; retry'),
          },
        },
      },
      '/v1/openapi.json': {
        get: {
          operationId: 'getOpenApi',
          summary: 'This document',
          security: [],
          responses: {
            '200': {
              description: 'the OpenAPI 3.1 document',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
          },
        },
      },
    },
    components: {
      schemas: {
        Submission: submissionSchema(),
        ServiceNowChange: itsmBodySchema(SERVICENOW_DEFAULT_FIELDS, 'ServiceNow'),
        JiraWebhook: itsmBodySchema(JIRA_DEFAULT_FIELDS, 'Jira'),
        TeardownHook: jsonSchema(TeardownHookBodySchema),
        Accepted: jsonSchema(AcceptedAnswerSchema, 'output'),
        Error: jsonSchema(ErrorAnswerSchema, 'output'),
        Request: jsonSchema(RequestAnswerSchema, 'output'),
      },
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            "`Authorization: Bearer <token>`: a token from the source's secret (`bearer`, or auth.bearerSecretName).",
        },
        zcopsSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Zcops-Signature',
          description:
            '`sha256=<hex HMAC-SHA256(key, "<X-Zcops-Timestamp>.<raw body>")>` with the source\'s HMAC key (`hmac`, or auth.hmacSecretName), sent with X-Zcops-Timestamp.',
        },
        zcopsTimestamp: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Zcops-Timestamp',
          description:
            'The signing time in epoch seconds; refused outside the replay window (5 minutes by default).',
        },
        jiraSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Hub-Signature',
          description:
            "Jira Cloud's webhook signature, `/v1/hooks/jira` only: `sha256=<hex HMAC-SHA256(secret, raw body)>`, the secret being the source's HMAC key.",
        },
      },
    },
  };
}
