import { randomUUID } from 'node:crypto';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { TargetProfile } from '../../cli/profile.ts';
import { buildApp } from '../../infra/app.ts';
import type { ZcopsConfig } from '../../infra/config.ts';
import { type RunningSimulator, type SimulatorOptions, startSimulator } from '../../simulator/index.ts';
import { toApiGatewayV2Event } from '../apigw-event.ts';
import { SqsEventSourceMapping } from '../event-source-mapping.ts';
import { runtimeConfigObject } from '../function-deps.ts';
import { standInCallbacks } from '../itsm-callbacks.ts';
import { defaultLocalConfig } from '../local-config.ts';
import { type LocalSecrets, simulatorTenantSecrets, sourceSecrets } from '../secrets.ts';
import { type AwsControlPlane, startAwsControlPlane } from '../services/aws-control-plane.ts';
import { type RunningDynalite, startDynalite } from '../services/dynalite.ts';
import { type RunningFauxqs, startFauxqsServer } from '../services/fauxqs.ts';
import { type ItsmStandIns, startItsmStandIns } from '../services/itsm-stand-ins.ts';
import { type RecordedRequest, startRecordingProxy } from '../services/recording-proxy.ts';
import { type SecretsManagerStandIn, startSecretsManager } from '../services/secrets-manager.ts';
import { type CfnResource, readAssembly, referencedIds, type SynthesizedStack } from './assembly.ts';
import { type AwsCall, awsCallOf } from './aws-call.ts';
import { DeployedShapeError, InvocationError } from './errors.ts';
import { matchesPattern } from './event-pattern.ts';
import { type LocalNames, resolve, resolveString } from './intrinsics.ts';
import { FunctionPool } from './lambda-pool.ts';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

export interface DeployedStackOptions {
  projectRoot: string;
  /** Where the cloud assembly, the configuration and the secrets file go. */
  workDir: string;
  /** The zcops configuration to synthesize (default: the local stack's, on the simulator). */
  config?: (simulatorUrl: string) => ZcopsConfig;
  /** The simulator's options (seed, time scale, faults); default its own. */
  simulator?: SimulatorOptions;
  /** Lambda's asynchronous retry delays (AWS: about 1 and 2 minutes), scaled down. */
  asyncRetryDelaysMs?: readonly number[];
  /** The worker event source mapping's long-poll wait (default 1 s). */
  pollWaitSeconds?: number;
  /** Every line a function prints, with the function's logical id. */
  onLog?: (functionId: string, line: string) => void;
}

/** One asynchronous invocation (EventBridge, Scheduler) and what became of it. */
export interface AsyncInvocation {
  functionId: string;
  event: unknown;
  attempts: number;
  result?: unknown;
  error?: string;
  /** The on-failure destination got the event. */
  sentToOnFailure?: boolean;
  /** Settles when the invocation and its retries are over. */
  done: Promise<void>;
}

/** The synthesized stack, running on this machine. */
export interface DeployedStack {
  stack: SynthesizedStack;
  config: ZcopsConfig;
  /** The HTTP API's invoke URL (only the template's routes). */
  url: string;
  names: LocalNames;
  secrets: LocalSecrets;
  simulator: RunningSimulator;
  /** Where the ITSM sources' ticket callbacks go (as `npm start` points them). */
  itsm: ItsmStandIns;
  controlPlane: AwsControlPlane;
  secretsManager: SecretsManagerStandIn;
  endpoints: { dynamodb: string; sqs: string; s3: string };
  /** The function pools by logical id. */
  functions: Record<string, FunctionPool>;
  /** The logical id of the function whose POWERTOOLS_SERVICE_NAME is `zcops-<name>`. */
  functionId(name: 'webhook' | 'events' | 'worker'): string;
  /** Access key id each function's processes sign with, by function logical id. */
  accessKeys: Record<string, string>;
  /** Every log line, by function logical id. */
  logs: Record<string, string[]>;
  /** Every AWS call made with a function's credentials (by the function, or by Lambda for it). */
  calls: AwsCall[];
  /** Asynchronous invocations so far. */
  asyncInvocations: AsyncInvocation[];
  /** EventBridge PutEvents on the default bus: each rule whose pattern matches invokes its targets. */
  putEvent(
    event: Record<string, unknown>,
  ): Promise<{ matchedRules: string[]; invocations: AsyncInvocation[] }>;
  /** Fires a Scheduler schedule now (its logical id, or the first one). */
  fireSchedule(scheduleId?: string): Promise<void>;
  /** A zcops CLI profile of this stack (the operator's view: tables, queues, endpoints, configuration). */
  cliProfile(): TargetProfile;
  /** Resolves when every asynchronous invocation begun so far has finished (retries included). */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The deployed shape, run locally (`sam local`, further): synthesizes the CDK app once (esbuild
 * bundles, cdk-nag), then from the template alone creates its tables, queues (visibility, redrive
 * policy) and buckets in dynalite and fauxqs; runs each function's bundle from its asset folder in
 * its own processes with exactly the template's environment (endpoints pointed at the stand-ins,
 * one access key per function); serves only the HTTP API's routes (others answer 404 as API
 * Gateway does); delivers events only when a rule's pattern matches; invokes EventBridge and
 * Scheduler targets asynchronously with the function's retry and on-failure settings; and feeds the
 * worker from its event source mapping's settings (batch size, batch failures, maximum concurrency).
 *
 * @example
 * const d = await startDeployedStack({ projectRoot, workDir });
 * await fetch(`${d.url}/v1/hooks/servicenow`, { method: 'POST', headers, body });
 * await d.stop();
 */
export async function startDeployedStack(options: DeployedStackOptions): Promise<DeployedStack> {
  const stoppers: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const s of stoppers.reverse()) await s().catch(() => {});
    stoppers.length = 0;
  };
  try {
    mkdirSync(options.workDir, { recursive: true });
    const simulator = await startSimulator(options.simulator ?? {});
    stoppers.push(() => simulator.stop());
    // The ITSM sources' ticket callbacks go to loopback stand-ins, as `npm start` points them.
    const itsm = await startItsmStandIns();
    stoppers.push(() => itsm.stop());
    const { config, secrets: callbackSecrets } = standInCallbacks(
      (options.config ?? defaultLocalConfig)(simulator.url),
      itsm,
    );

    // 1. Synthesize once: the bundles and the template that deploy.
    const configFile = join(options.workDir, 'zcops.config.json');
    writeFileSync(configFile, JSON.stringify(config));
    const { app } = buildApp({
      projectRoot: options.projectRoot,
      outdir: join(options.workDir, 'cdk.out'),
      context: { configFile },
    });
    const stack = readAssembly(app.synth().directory);
    // The Node.js runtime provides the AWS SDK (bundles leave @aws-sdk/* out) and nothing else: only
    // @aws-sdk is visible from the assets, so a dependency missing from a bundle fails here too.
    mkdirSync(join(options.workDir, 'node_modules'), { recursive: true });
    symlinkSync(
      join(options.projectRoot, 'node_modules', '@aws-sdk'),
      join(options.workDir, 'node_modules', '@aws-sdk'),
      'dir',
    );

    // 2. The stand-ins.
    const secrets: LocalSecrets = {
      ...sourceSecrets(config, options.workDir),
      ...simulatorTenantSecrets(config),
      ...callbackSecrets,
    };
    const ddb: RunningDynalite = await startDynalite();
    stoppers.push(() => ddb.stop());
    const fq: RunningFauxqs = await startFauxqsServer();
    stoppers.push(() => fq.stop());
    const controlPlane = await startAwsControlPlane();
    stoppers.push(() => controlPlane.stop());
    const secretsManager = await startSecretsManager({ region: REGION, accountId: ACCOUNT, secrets });
    stoppers.push(() => secretsManager.stop());
    // Every call a function (or Lambda for it) makes goes through a recording proxy: IAM by use.
    const calls: AwsCall[] = [];
    const record = (r: RecordedRequest) => {
      const call = awsCallOf(r, { region: REGION, accountId: ACCOUNT, secretArn: secretsManager.arnOf });
      if (call) calls.push({ ...call, status: r.status });
    };
    const proxies = {
      dynamodb: await startRecordingProxy(ddb.endpoint, record),
      fauxqs: await startRecordingProxy(fq.endpoint, record),
      secrets: await startRecordingProxy(secretsManager.endpoint, record),
      controlPlane: await startRecordingProxy(controlPlane.endpoint, record),
    };
    for (const proxy of Object.values(proxies)) stoppers.push(() => proxy.stop());
    const endpoints = {
      dynamodb: proxies.dynamodb.endpoint,
      sqs: proxies.fauxqs.endpoint,
      s3: proxies.fauxqs.endpoint,
    };

    // 3. The template's data resources, named by their logical ids.
    const admin = { accessKeyId: 'zcops-deployed-admin', secretAccessKey: 'x' };
    const dynamodb = new DynamoDBClient({ region: REGION, endpoint: ddb.endpoint, credentials: admin });
    const adminSqs = new SQSClient({ region: REGION, endpoint: fq.endpoint, credentials: admin });
    const s3 = new S3Client({
      region: REGION,
      endpoint: fq.endpoint,
      credentials: admin,
      forcePathStyle: true,
    });
    stoppers.push(async () => {
      for (const c of [dynamodb, adminSqs, s3]) c.destroy();
    });
    const names: LocalNames = {
      region: REGION,
      accountId: ACCOUNT,
      stackName: stack.stackName,
      refs: {},
      attributes: {},
    };
    await createTables(stack, dynamodb, names);
    await createQueues(stack, adminSqs, names, proxies.fauxqs.endpoint);
    for (const [id] of stack.ofType('AWS::S3::Bucket')) {
      const bucket = id.toLowerCase();
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      names.refs[id] = bucket;
      names.attributes[`${id}.Arn`] = `arn:aws:s3:::${bucket}`;
    }
    for (const [id] of stack.ofType('AWS::Lambda::Function')) {
      const name = `${stack.stackName}-${id}`;
      names.refs[id] = name;
      names.attributes[`${id}.Arn`] = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
    }
    for (const [id] of stack.ofType('AWS::Logs::LogGroup')) {
      names.refs[id] = `/aws/${stack.stackName}/${id}`;
      names.attributes[`${id}.Arn`] =
        `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/${stack.stackName}/${id}:*`;
    }
    for (const [id] of stack.ofType('AWS::IAM::Role')) {
      names.refs[id] = `${stack.stackName}-${id}`;
      names.attributes[`${id}.Arn`] = `arn:aws:iam::${ACCOUNT}:role/${stack.stackName}-${id}`;
    }
    const queueUrlOfArn = (arn: string) => {
      const id = Object.keys(names.attributes).find((k) => k.endsWith('.Arn') && names.attributes[k] === arn);
      const url = id ? names.refs[id.slice(0, -4)] : undefined;
      if (!url) throw new DeployedShapeError(`no local queue has ARN ${arn}`);
      return url;
    };

    // 4. The functions: each runs its own bundle with the template's environment.
    const logs: Record<string, string[]> = {};
    const functions: Record<string, FunctionPool> = {};
    const accessKeys: Record<string, string> = {};
    const esms = stack.ofType('AWS::Lambda::EventSourceMapping');
    for (const [id, fn] of stack.ofType('AWS::Lambda::Function')) {
      const p = fn.Properties ?? {};
      const roleId = referencedIds(p.Role)[0] ?? id;
      const accessKeyId = `ZCOPS${roleId}`;
      accessKeys[id] = accessKeyId;
      const variables = resolve(
        (p.Environment as { Variables?: unknown } | undefined)?.Variables ?? {},
        names,
      );
      const env: Record<string, string> = {
        ...Object.fromEntries(
          Object.entries(variables as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
        ),
        PATH: process.env.PATH ?? '',
        TZ: ':UTC',
        LAMBDA_TASK_ROOT: stack.assetDir(id),
        AWS_LAMBDA_FUNCTION_NAME: names.refs[id] as string,
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(p.MemorySize ?? 128),
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${names.refs[id]}`,
        AWS_REGION: REGION,
        AWS_DEFAULT_REGION: REGION,
        AWS_ACCESS_KEY_ID: accessKeyId,
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_SESSION_TOKEN: `session-of-${roleId}`,
        AWS_ENDPOINT_URL_DYNAMODB: proxies.dynamodb.endpoint,
        AWS_ENDPOINT_URL_SQS: proxies.fauxqs.endpoint,
        AWS_ENDPOINT_URL_S3: proxies.fauxqs.endpoint,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: proxies.secrets.endpoint,
        AWS_ENDPOINT_URL_AUTO_SCALING: proxies.controlPlane.endpoint,
        AWS_ENDPOINT_URL_EC2: proxies.controlPlane.endpoint,
      };
      const esm = esms.find(([, m]) => referencedIds(m.Properties?.FunctionName).includes(id));
      const scaling = esm?.[1].Properties?.ScalingConfig as { MaximumConcurrency?: number } | undefined;
      logs[id] = [];
      functions[id] = new FunctionPool({
        name: names.refs[id] as string,
        bundle: join(stack.assetDir(id), 'index.mjs'),
        exportName: String(p.Handler ?? 'index.handler')
          .split('.')
          .pop() as string,
        env,
        timeoutMs: Number(p.Timeout ?? 3) * 1000,
        memoryMb: Number(p.MemorySize ?? 128),
        maxConcurrency: scaling?.MaximumConcurrency ?? 4,
        onLog: (line) => {
          logs[id]!.push(line);
          options.onLog?.(id, line);
        },
      });
      const pool = functions[id];
      stoppers.push(() => pool.stop());
    }
    const functionId = (name: 'webhook' | 'events' | 'worker') => {
      const found = stack
        .ofType('AWS::Lambda::Function')
        .find(
          ([, f]) =>
            (f.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables
              ?.POWERTOOLS_SERVICE_NAME === `zcops-${name}`,
        );
      if (!found) throw new DeployedShapeError(`the template has no ${name} function`);
      return found[0];
    };
    const functionIdOfArn = (arnValue: unknown) => {
      const id = referencedIds(arnValue)[0];
      if (!id || !functions[id])
        throw new DeployedShapeError(`target ${JSON.stringify(arnValue)} is no function here`);
      return id;
    };

    // 5. Asynchronous invocation (EventBridge, Scheduler): retries, then the on-failure destination.
    const asyncInvocations: AsyncInvocation[] = [];
    const inFlight = new Set<Promise<void>>();
    const delays = options.asyncRetryDelaysMs ?? [200, 400];
    const invokeAsync = (fnId: string, event: unknown) => {
      const config = stack
        .ofType('AWS::Lambda::EventInvokeConfig')
        .find(([, c]) => referencedIds(c.Properties?.FunctionName).includes(fnId))?.[1].Properties;
      const retries = Number(config?.MaximumRetryAttempts ?? 2);
      const onFailure = (config?.DestinationConfig as { OnFailure?: { Destination?: unknown } } | undefined)
        ?.OnFailure?.Destination;
      const record: AsyncInvocation = { functionId: fnId, event, attempts: 0, done: Promise.resolve() };
      asyncInvocations.push(record);
      const run = (async () => {
        let last: InvocationError | undefined;
        for (let attempt = 0; attempt <= retries; attempt++) {
          if (attempt > 0) await sleep(delays[Math.min(attempt - 1, delays.length - 1)] ?? 0);
          record.attempts++;
          try {
            record.result = await functions[fnId]!.invoke(event);
            return;
          } catch (err) {
            last = err instanceof InvocationError ? err : new InvocationError('Error', String(err));
          }
        }
        record.error = `${last?.errorType}: ${last?.message}`;
        if (onFailure === undefined) return;
        // Lambda sends the destination record with the function's execution role.
        const sqs = new SQSClient({
          region: REGION,
          endpoint: proxies.fauxqs.endpoint,
          credentials: { accessKeyId: accessKeys[fnId]!, secretAccessKey: 'local' },
        });
        try {
          await sqs.send(
            new SendMessageCommand({
              QueueUrl: queueUrlOfArn(resolveString(onFailure, names)),
              MessageBody: JSON.stringify({
                version: '1.0',
                timestamp: new Date().toISOString(),
                requestContext: {
                  requestId: randomUUID(),
                  functionArn: `${names.attributes[`${fnId}.Arn`]}:$LATEST`,
                  condition: 'RetriesExhausted',
                  approximateInvokeCount: record.attempts,
                },
                requestPayload: event,
                responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
                responsePayload: { errorType: last?.errorType, errorMessage: last?.message },
              }),
            }),
          );
          record.sentToOnFailure = true;
        } finally {
          sqs.destroy();
        }
      })();
      record.done = run.catch(() => {});
      inFlight.add(run);
      void run.finally(() => inFlight.delete(run));
      return record;
    };

    // 6. The worker's event source mappings, from their settings in the template.
    for (const [, m] of esms) {
      const p = m.Properties ?? {};
      const fnId = referencedIds(p.FunctionName)[0] as string;
      const queueArn = resolveString(p.EventSourceArn, names);
      const queueId = referencedIds(p.EventSourceArn)[0] as string;
      const queue = stack.resources[queueId]?.Properties ?? {};
      const reports = ((p.FunctionResponseTypes as string[] | undefined) ?? []).includes(
        'ReportBatchItemFailures',
      );
      const sqs = new SQSClient({
        region: REGION,
        endpoint: proxies.fauxqs.endpoint,
        // The mapping polls with the function's execution role.
        credentials: { accessKeyId: accessKeys[fnId]!, secretAccessKey: 'local' },
      });
      const mapping = new SqsEventSourceMapping({
        sqs,
        queueUrl: queueUrlOfArn(queueArn),
        queueArn,
        region: REGION,
        // Without ReportBatchItemFailures Lambda ignores the answer: a batch that returns succeeded.
        handler: async (event) => {
          const answer = await functions[fnId]!.invoke(event);
          return reports ? (answer as never) : undefined;
        },
        batchSize: Number(p.BatchSize ?? 10),
        maxConcurrency: Number(
          (p.ScalingConfig as { MaximumConcurrency?: number } | undefined)?.MaximumConcurrency ?? 2,
        ),
        visibilityTimeoutSeconds: Number(queue.VisibilityTimeout ?? 30),
        waitTimeSeconds: options.pollWaitSeconds ?? 1,
        invocationTimeoutMs: Number(stack.resources[fnId]?.Properties?.Timeout ?? 3) * 1000,
      });
      mapping.start();
      stoppers.push(async () => {
        await mapping.stop();
        sqs.destroy();
      });
    }

    // 7. The HTTP API: only its routes.
    const routes = stack.ofType('AWS::ApiGatewayV2::Route').map(([, r]) => {
      const p = r.Properties ?? {};
      const integrationId = referencedIds(p.Target)[0] as string;
      const integration = stack.resources[integrationId]?.Properties ?? {};
      const key = String(p.RouteKey);
      const [method, path] = key === '$default' ? ['ANY', ''] : (key.split(' ') as [string, string]);
      return {
        key,
        method,
        segments: path.split('/'),
        functionId: functionIdOfArn(integration.IntegrationUri),
      };
    });
    const server: Server = createServer(async (req, res) => {
      try {
        const body = await readBody(req);
        const event = toApiGatewayV2Event({
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          headers: req.headers,
          body,
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
          receivedAt: Date.now(),
        });
        const match = matchRoute(routes, event);
        if (!match) {
          // API Gateway's own answer for a route the API does not declare; the function never runs.
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end('{"message":"Not Found"}');
          return;
        }
        event.routeKey = match.route.key;
        event.requestContext.routeKey = match.route.key;
        if (Object.keys(match.params).length > 0) event.pathParameters = match.params;
        let answer: {
          statusCode?: number;
          headers?: Record<string, string>;
          body?: string;
          isBase64Encoded?: boolean;
        };
        try {
          answer = (await functions[match.route.functionId]!.invoke(event)) as typeof answer;
        } catch (err) {
          options.onLog?.(match.route.functionId, `invocation failed: ${(err as Error).message}`);
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end('{"message":"Internal Server Error"}');
          return;
        }
        res.writeHead(answer.statusCode ?? 200, {
          ...answer.headers,
          'apigw-requestid': event.requestContext.requestId,
        });
        res.end(
          answer.body === undefined
            ? ''
            : Buffer.from(answer.body, answer.isBase64Encoded ? 'base64' : 'utf8'),
        );
      } catch (err) {
        res.writeHead(500);
        res.end(String(err));
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    stoppers.push(() => new Promise<void>((r) => server.close(() => r())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const deployed: DeployedStack = {
      stack,
      config,
      url,
      names,
      secrets,
      simulator,
      itsm,
      controlPlane,
      secretsManager,
      endpoints,
      functions,
      functionId,
      accessKeys,
      calls,
      logs,
      asyncInvocations,
      async putEvent(input) {
        const event = {
          version: '0',
          id: randomUUID(),
          account: ACCOUNT,
          time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
          region: REGION,
          resources: [],
          ...input,
        };
        const matchedRules: string[] = [];
        const invocations: AsyncInvocation[] = [];
        for (const [id, rule] of stack.ofType('AWS::Events::Rule')) {
          const p = rule.Properties ?? {};
          if (p.State === 'DISABLED' || !p.EventPattern) continue;
          if (!matchesPattern(p.EventPattern, event)) continue;
          matchedRules.push(id);
          for (const target of (p.Targets as { Arn: unknown; Input?: string }[]) ?? []) {
            invocations.push(
              invokeAsync(functionIdOfArn(target.Arn), target.Input ? JSON.parse(target.Input) : event),
            );
          }
        }
        return { matchedRules, invocations };
      },
      async fireSchedule(scheduleId) {
        const schedules = stack.ofType('AWS::Scheduler::Schedule');
        const found = scheduleId ? schedules.find(([id]) => id === scheduleId) : schedules[0];
        if (!found) throw new DeployedShapeError(`no schedule ${scheduleId ?? ''}`);
        const target = found[1].Properties?.Target as { Arn: unknown; Input?: string };
        const scheduleArn = `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/default/${found[0]}`;
        const input = (target.Input ?? '{}')
          .replaceAll('<aws.scheduler.execution-id>', randomUUID())
          .replaceAll('<aws.scheduler.scheduled-time>', new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'))
          .replaceAll('<aws.scheduler.schedule-arn>', scheduleArn)
          .replaceAll('<aws.scheduler.attempt-number>', '1');
        invokeAsync(functionIdOfArn(target.Arn), JSON.parse(input));
      },
      cliProfile() {
        const ref = (type: string, prefix: string) => {
          const id = stack.ofType(type).find(([logical]) => logical.startsWith(prefix))?.[0];
          return id ? names.refs[id] : undefined;
        };
        const failures = ref('AWS::SQS::Queue', 'EventsFailures');
        const dlq = ref('AWS::SQS::Queue', 'JobsDeadLetterQueue');
        const bucket = ref('AWS::S3::Bucket', 'SnapshotsBucket');
        return {
          v: 1,
          kind: 'deployed',
          region: REGION,
          endpoints: {
            ...endpoints,
            http: url,
            simulator: simulator.url,
            autoscaling: controlPlane.endpoint,
          },
          tables: {
            requests: ref('AWS::DynamoDB::Table', 'TablesRequests')!,
            audit: ref('AWS::DynamoDB::Table', 'TablesAudit')!,
            ratelimit: ref('AWS::DynamoDB::Table', 'TablesRateLimit')!,
          },
          queues: {
            jobsUrl: ref('AWS::SQS::Queue', 'JobsQueue')!,
            ...(dlq ? { dlqUrl: dlq } : {}),
            ...(failures ? { eventsFailuresUrl: failures } : {}),
          },
          ...(bucket ? { bucket } : {}),
          config: {
            ...runtimeConfigObject(config),
            snapshotSchedules: config.snapshotSchedules,
            worker: config.worker,
          },
          forceDryRun: false,
        };
      },
      async settled() {
        while (inFlight.size > 0) await Promise.all([...inFlight]);
      },
      stop: stopAll,
    };
    return deployed;
  } catch (err) {
    await stopAll();
    throw err;
  }
}

async function createTables(stack: SynthesizedStack, dynamodb: DynamoDBClient, names: LocalNames) {
  for (const [id, t] of stack.ofType('AWS::DynamoDB::Table')) {
    const p = t.Properties ?? {};
    const gsis = (p.GlobalSecondaryIndexes as Record<string, unknown>[] | undefined)?.map((g) => ({
      IndexName: g.IndexName as string,
      KeySchema: g.KeySchema as never,
      Projection: g.Projection as never,
    }));
    await dynamodb.send(
      new CreateTableCommand({
        TableName: id,
        KeySchema: p.KeySchema as never,
        AttributeDefinitions: p.AttributeDefinitions as never,
        BillingMode: 'PAY_PER_REQUEST',
        ...(gsis?.length ? { GlobalSecondaryIndexes: gsis } : {}),
      }),
    );
    names.refs[id] = id;
    names.attributes[`${id}.Arn`] = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${id}`;
  }
}

async function createQueues(stack: SynthesizedStack, sqs: SQSClient, names: LocalNames, endpoint: string) {
  const queues = stack.ofType('AWS::SQS::Queue');
  for (const [id, q] of queues) {
    const p = q.Properties ?? {};
    const attributes: Record<string, string> = {};
    if (p.VisibilityTimeout !== undefined) attributes.VisibilityTimeout = String(p.VisibilityTimeout);
    if (p.MessageRetentionPeriod !== undefined)
      attributes.MessageRetentionPeriod = String(p.MessageRetentionPeriod);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: id, Attributes: attributes }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    // fauxqs names queues under sqs.<region>.localhost; its endpoint serves them by path, and a URL on
    // the endpoint's own host is what a deployed function gets in AWS (no wildcard DNS needed).
    const url = `${endpoint}${new URL(QueueUrl!).pathname}`;
    names.refs[id] = url;
    names.attributes[`${id}.Arn`] = Attributes!.QueueArn!;
    names.attributes[`${id}.QueueName`] = id;
    names.attributes[`${id}.QueueUrl`] = url;
  }
  // Redrive policies name other queues' ARNs: set once every queue exists.
  for (const [id, q] of queues) {
    const redrive = q.Properties?.RedrivePolicy as CfnResource['Properties'];
    if (!redrive) continue;
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: names.refs[id],
        Attributes: { RedrivePolicy: JSON.stringify(resolve(redrive, names)) },
      }),
    );
  }
}

function matchRoute(
  routes: { key: string; method: string; segments: string[]; functionId: string }[],
  event: APIGatewayProxyEventV2,
): { route: (typeof routes)[number]; params: Record<string, string> } | undefined {
  const method = event.requestContext.http.method;
  const segments = event.rawPath.split('/');
  let fallback: (typeof routes)[number] | undefined;
  for (const route of routes) {
    if (route.key === '$default') {
      fallback = route;
      continue;
    }
    if (route.method !== method && route.method !== 'ANY') continue;
    if (route.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const ok = route.segments.every((want, i) => {
      const got = segments[i] as string;
      if (want.startsWith('{') && want.endsWith('}')) {
        params[want.slice(1, -1)] = decodeURIComponent(got);
        return got !== '';
      }
      return want === got;
    });
    if (ok) return { route, params };
  }
  return fallback ? { route: fallback, params: {} } : undefined;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
