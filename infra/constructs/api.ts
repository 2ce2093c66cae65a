import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ROUTES } from '../../functions/webhook/routes.ts';
import { InfraPropsError } from '../errors.ts';

/**
 * The HTTP API in front of the webhook function: the handler's routes only (`ROUTES`), a throttled `$default`
 * stage with JSON access logs. Callers authenticate inside the function (HMAC signature or bearer
 * token per source), so the routes carry no API Gateway authorizer.
 *
 * @example
 * const api = new Api(this, 'Api', { handler: webhook.function, throttle: { rateLimit: 20, burstLimit: 40 }, logRetention: 90 });
 * new CfnOutput(this, 'ApiUrl', { value: api.url });
 */
export interface ApiProps {
  handler: IFunction;
  throttle: { rateLimit: number; burstLimit: number };
  logRetention: RetentionDays;
}

/**
 * The intake routes: exactly the webhook handler's route table, so every route it serves is
 * deployed (a hand-kept list here once left `POST /v1/hooks/teardown` answering 404 in AWS).
 */
export const API_ROUTES: readonly { method: HttpMethod; path: string }[] = ROUTES.map((r) => ({
  method: HttpMethod[r.method],
  path: r.path,
}));

export function validateApiProps(props: ApiProps): void {
  const { rateLimit, burstLimit } = props.throttle;
  if (!(rateLimit > 0) || !(burstLimit > 0))
    throw new InfraPropsError(
      'Api',
      'throttle rateLimit and burstLimit must be positive (an unthrottled API is refused)',
    );
  if (burstLimit < rateLimit)
    throw new InfraPropsError('Api', `burstLimit (${burstLimit}) below rateLimit (${rateLimit})`);
}

export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    validateApiProps(props);
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'zcops intake: canonical requests and ITSM webhooks',
      createDefaultStage: false,
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        // No headers or bodies: signatures and tokens must never reach a log.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    const integration = new HttpLambdaIntegration('Webhook', props.handler);
    for (const route of API_ROUTES) {
      this.httpApi.addRoutes({ path: route.path, methods: [route.method], integration });
    }
    Validations.of(this.httpApi).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Each source authenticates in the webhook function with an HMAC-SHA256 signature over timestamp + body (or a bearer token) checked against its own secret; ITSM webhooks cannot use IAM or Cognito.',
    });
  }

  /** The invoke URL of the `$default` stage. */
  get url(): string {
    return this.stage.url;
  }
}
