import type { Context, SQSEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHandler as createEventsHandler } from '../../../functions/events/handler.ts';
import { createHandler as createWebhookHandler } from '../../../functions/webhook/handler.ts';
import { createHandler as createWorkerHandler } from '../../../functions/worker/handler.ts';
import { createLogger } from '../../../shared/observability/logger.ts';
import { createMetrics } from '../../../shared/observability/metrics.ts';
import type { WorkerDeps } from '../../../shared/worker/deps.ts';
import { fixture, httpEvent } from '../../fixtures/events/index.ts';
import { memoryDeps } from '../../fixtures/events/intake-setup.ts';

/** A Lambda context as the runtime passes it (the fields Powertools reads). */
function lambdaContext(fn: string, awsRequestId: string): Context {
  return {
    functionName: fn,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${fn}`,
    memoryLimitInMB: '512',
    awsRequestId,
    logGroupName: `/aws/lambda/${fn}`,
    logStreamName: '2026/12/03/[$LATEST]abc',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 10_000,
    done() {},
    fail() {},
    succeed() {},
  };
}

let lines: string[];
beforeEach(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  // Lambda sets it; Powertools reports a cold start only for on-demand containers.
  process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
  lines = [];
  // Powertools Logger writes its JSON lines to process.stdout / process.stderr.
  const capture = (chunk: string | Uint8Array) => {
    lines.push(...(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')).split('\n'));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
});
afterEach(() => {
  delete process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
  vi.restoreAllMocks();
});

const records = () =>
  lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('every log line carries the invocation', () => {
  it('webhook: Lambda context, cold start only first, and the API Gateway request id of this invocation', async () => {
    const handler = createWebhookHandler({
      ...memoryDeps(),
      logger: createLogger('zcops-webhook', 'INFO'),
      metrics: createMetrics('zcops-webhook'),
    });
    const first = httpEvent({ path: '/v1/requests', body: '{}' });
    first.requestContext.requestId = 'apigw-req-1';
    await handler(first, lambdaContext('zcops-webhook', 'lambda-req-1'));
    const second = httpEvent({ method: 'GET', path: '/v1/nowhere' });
    second.requestContext.requestId = 'apigw-req-2';
    await handler(second, lambdaContext('zcops-webhook', 'lambda-req-2'));

    const logged = records();
    const ofFirst = logged.filter((r) => r.function_request_id === 'lambda-req-1');
    const ofSecond = logged.filter((r) => r.function_request_id === 'lambda-req-2');
    expect(ofFirst.length).toBeGreaterThan(0);
    expect(ofSecond.length).toBeGreaterThan(0);
    expect(ofFirst.length + ofSecond.length).toBe(logged.length);
    for (const r of ofFirst)
      expect(r).toMatchObject({
        api_request_id: 'apigw-req-1',
        cold_start: true,
        function_name: 'zcops-webhook',
      });
    for (const r of ofSecond) expect(r).toMatchObject({ api_request_id: 'apigw-req-2', cold_start: false });
  });

  it('events: Lambda context on every line', async () => {
    const handler = createEventsHandler({
      ...memoryDeps(),
      logger: createLogger('zcops-events', 'INFO'),
      metrics: createMetrics('zcops-events'),
    });
    await handler(fixture('scheduler-snapshot.json'), lambdaContext('zcops-events', 'lambda-ev-1'));
    const logged = records();
    expect(logged.length).toBeGreaterThan(0);
    for (const r of logged) {
      expect(r).toMatchObject({ function_request_id: 'lambda-ev-1', cold_start: true });
      expect(r).not.toHaveProperty('api_request_id');
    }
  });

  it('worker: Lambda context on the lines of a batch', async () => {
    const logger = createLogger('zcops-worker', 'INFO');
    const handler = createWorkerHandler({ logger } as unknown as WorkerDeps);
    const event: SQSEvent = {
      Records: [
        {
          messageId: 'm-1',
          receiptHandle: 'r',
          body: 'not a job',
          attributes: { ApproximateReceiveCount: '1' } as never,
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:jobs',
          awsRegion: 'eu-west-1',
        },
      ],
    };
    const out = await handler(event, lambdaContext('zcops-worker', 'lambda-wk-1'));
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    const logged = records().filter((r) => r.service === 'zcops-worker');
    expect(logged.length).toBeGreaterThan(0);
    for (const r of logged) expect(r).toMatchObject({ function_request_id: 'lambda-wk-1', cold_start: true });
  });
});
