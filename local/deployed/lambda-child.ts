/**
 * One Lambda execution environment: loads a function's bundle (`node lambda-child.ts <index.mjs>
 * <export>`) at init, as Lambda's Node.js runtime does, then runs the invocations its parent sends
 * over IPC, one at a time, with a Lambda-shaped context. The environment variables are the
 * function's, set by the parent. Not imported by anything: it runs as a child process.
 */
import { pathToFileURL } from 'node:url';

interface Invoke {
  id: string;
  event: unknown;
  context: { awsRequestId: string; functionName: string; memoryLimitInMB: string; deadline: number };
}

const [bundle, exportName = 'handler'] = process.argv.slice(2);
const send = (m: unknown) => process.send?.(m);

try {
  const mod = (await import(pathToFileURL(bundle as string).href)) as Record<string, unknown>;
  const handler = mod[exportName];
  if (typeof handler !== 'function') throw new Error(`${bundle} exports no function ${exportName}`);
  process.on('message', async (m: Invoke) => {
    const env = process.env;
    const context = {
      awsRequestId: m.context.awsRequestId,
      functionName: m.context.functionName,
      functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${env.AWS_REGION}:000000000000:function:${m.context.functionName}`,
      memoryLimitInMB: m.context.memoryLimitInMB,
      logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME ?? '',
      logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME ?? '',
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, m.context.deadline - Date.now()),
      done() {},
      fail() {},
      succeed() {},
    };
    try {
      const result = await (handler as (e: unknown, c: unknown) => Promise<unknown>)(m.event, context);
      send({ id: m.id, ok: true, result: result === undefined ? null : result });
    } catch (err) {
      const e = err as Error;
      send({ id: m.id, ok: false, errorType: e?.name ?? 'Error', errorMessage: e?.message ?? String(err) });
    }
  });
  send({ ready: true });
} catch (err) {
  // Lambda's Runtime.ImportModuleError / init failure: reported, then the environment is gone.
  send({ initError: `${(err as Error).name}: ${(err as Error).message}` });
  process.exit(1);
}
