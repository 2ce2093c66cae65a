import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { beginInvocation } from '../../shared/observability/logger.ts';
import { workerFromEnv } from '../../shared/wiring/worker-deps.ts';
import { batchScope } from '../../shared/worker/batch-scope.ts';
import type { WorkerDeps } from '../../shared/worker/deps.ts';
import { runJobMessage } from '../../shared/worker/run-job.ts';
import { type LambdaHandler, lambdaEntry } from '../bootstrap.ts';

export type WorkerHandler = LambdaHandler<SQSEvent, SQSBatchResponse>;

/**
 * The worker function: one SQS batch, each record through the run loop (`runJobMessage`), partial
 * batch failures reported with Powertools' `BatchProcessor` (the event source mapping needs
 * `ReportBatchItemFailures`). A record resolves (acknowledged) when its request settled, was
 * deferred with a new delayed message, or needed nothing; it fails (retried by SQS, then the DLQ)
 * only when it could not be processed. The metrics recorded meanwhile (`deps.metrics`) are flushed
 * once at the end of the invocation.
 *
 * @example
 * const handler = createHandler(deps);
 * const { batchItemFailures } = await handler(sqsEvent);
 */
export function createHandler(deps: WorkerDeps): WorkerHandler {
  return async (event, context) => {
    // Tests may inject a plain JobLogger; the Lambda's is a Powertools Logger.
    if (deps.logger instanceof Logger) beginInvocation(deps.logger, context);
    const processor = new BatchProcessor(EventType.SQS);
    // The batch's records read each tenant's pause switch once between them.
    const batch = batchScope(deps);
    const recordHandler = async (record: SQSRecord) => {
      const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? '1');
      try {
        return await runJobMessage(batch, { body: record.body, receiveCount, messageId: record.messageId });
      } catch (err) {
        deps.logger.error('job record failed', {
          messageId: record.messageId,
          receiveCount,
          error: (err as Error).name,
          message: (err as Error).message,
        });
        throw err;
      }
    };
    try {
      return await processPartialResponse(event, recordHandler, processor, {
        ...(context ? { context: context as never } : {}),
        throwOnFullBatchFailure: false,
      });
    } finally {
      // One EMF record per invocation, whatever the batch did.
      deps.metrics?.flush();
    }
  };
}

/** The Lambda entry point: deps from the environment, built once per container. */
export const handler: WorkerHandler = lambdaEntry(() => createHandler(workerFromEnv(process.env)));
