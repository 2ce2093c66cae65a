import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BUNDLE_SETTINGS } from '../bundling.ts';
import { FUNCTION_DEFAULTS, type FunctionName, POWERTOOLS_DEFAULTS, serviceName } from '../defaults.ts';
import { BundlingUnavailableError, InfraPropsError } from '../errors.ts';

/**
 * One zcops Lambda function: a `NodejsFunction` on Node.js 24 / arm64, bundled by the local esbuild
 * as an ESM `index.mjs` (with a `createRequire` banner, `@aws-sdk/*` left to the runtime, minified with class names kept,
 * with source maps), no X-Ray tracing (no tracer in the code), JSON logs into its own log group with a retention, and its own
 * role that starts with nothing but writing to that log group: every other permission is granted
 * explicitly by the stack.
 *
 * @example
 * const fn = new ZcopsFunction(this, 'Webhook', {
 *   name: 'webhook', entry: 'functions/webhook/handler.ts', projectRoot: process.cwd(),
 *   timeout: Duration.seconds(10), logRetention: 90, logLevel: 'INFO', environment: { REQUESTS_TABLE: t.tableName },
 * });
 */
export interface ZcopsFunctionProps {
  name: FunctionName;
  /** Entry file, absolute or relative to `projectRoot`. */
  entry: string;
  /** Directory with package-lock.json; bundling runs there. */
  projectRoot: string;
  timeout: Duration;
  memorySizeMb?: number;
  logRetention: RetentionDays;
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** Function-specific variables; the Powertools and source-map settings are added here. */
  environment: Record<string, string>;
  description?: string;
}

/** Environment variable names the construct owns; callers may not set them. */
export const RESERVED_ENVIRONMENT = [
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_METRICS_NAMESPACE',
  'POWERTOOLS_LOG_LEVEL',
  'NODE_OPTIONS',
] as const;

export function validateZcopsFunctionProps(props: ZcopsFunctionProps): void {
  if (!/\.(ts|mts|js|mjs)$/.test(props.entry))
    throw new InfraPropsError(
      'ZcopsFunction',
      `${props.name}: entry must be a .ts or .js file (got ${props.entry})`,
    );
  for (const key of Object.keys(props.environment)) {
    if ((RESERVED_ENVIRONMENT as readonly string[]).includes(key))
      throw new InfraPropsError(
        'ZcopsFunction',
        `${props.name}: environment variable ${key} is set by the construct`,
      );
    if (key.startsWith('AWS_'))
      throw new InfraPropsError('ZcopsFunction', `${props.name}: ${key} is reserved by Lambda`);
  }
  const memory = props.memorySizeMb ?? FUNCTION_DEFAULTS.memorySizeMb;
  if (!Number.isInteger(memory) || memory < 128 || memory > 10_240)
    throw new InfraPropsError(
      'ZcopsFunction',
      `${props.name}: memorySizeMb must be 128..10240 (got ${memory})`,
    );
}

/** Throws unless esbuild resolves from the project: CDK would otherwise fall back to Docker silently. */
export function assertLocalEsbuild(projectRoot: string): string {
  try {
    return createRequire(join(projectRoot, 'package.json')).resolve('esbuild');
  } catch {
    throw new BundlingUnavailableError(
      `esbuild is not installed under ${projectRoot}; zcops bundles locally only (run npm ci), never in Docker`,
    );
  }
}

export class ZcopsFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ZcopsFunctionProps) {
    super(scope, id);
    validateZcopsFunctionProps(props);
    assertLocalEsbuild(props.projectRoot);

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // Own role instead of AWSLambdaBasicExecutionRole: logs go to this function's group only.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `zcops ${props.name} function`,
    });
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry.startsWith('/') ? props.entry : join(props.projectRoot, props.entry),
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, 'package-lock.json'),
      runtime: FUNCTION_DEFAULTS.runtime,
      architecture: FUNCTION_DEFAULTS.architecture,
      memorySize: props.memorySizeMb ?? FUNCTION_DEFAULTS.memorySizeMb,
      timeout: props.timeout,
      tracing: FUNCTION_DEFAULTS.tracing,
      loggingFormat: FUNCTION_DEFAULTS.loggingFormat,
      logGroup: this.logGroup,
      role: this.role,
      description: props.description ?? `zcops ${props.name}`,
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: serviceName(props.name),
        POWERTOOLS_METRICS_NAMESPACE: POWERTOOLS_DEFAULTS.metricsNamespace,
        POWERTOOLS_LOG_LEVEL: props.logLevel,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.ESM,
        target: BUNDLE_SETTINGS.target,
        minify: BUNDLE_SETTINGS.minify,
        keepNames: BUNDLE_SETTINGS.keepNames,
        sourceMap: BUNDLE_SETTINGS.sourcemap,
        externalModules: [...BUNDLE_SETTINGS.external],
        banner: BUNDLE_SETTINGS.banner,
        mainFields: [...BUNDLE_SETTINGS.mainFields],
        forceDockerBundling: false,
      },
    });
  }
}
