import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { validateApiProps } from '../../../infra/constructs/api.ts';
import { JobsQueue, validateJobsQueueProps } from '../../../infra/constructs/jobs-queue.ts';
import { validateLifecycleRuleProps } from '../../../infra/constructs/lifecycle-rule.ts';
import { validateSnapshotSchedulesProps } from '../../../infra/constructs/snapshot-schedules.ts';
import { validateSnapshotsBucketProps } from '../../../infra/constructs/snapshots-bucket.ts';
import { validateTableDefinition } from '../../../infra/constructs/tables.ts';
import { assertLocalEsbuild, validateZcopsFunctionProps } from '../../../infra/constructs/zcops-function.ts';
import { InfraPropsError } from '../../../infra/errors.ts';
import { ROOT } from './helpers.ts';

const fnProps = {
  name: 'webhook' as const,
  entry: 'functions/webhook/handler.ts',
  projectRoot: ROOT,
  timeout: Duration.seconds(5),
  logRetention: 30,
  logLevel: 'INFO' as const,
};

describe('construct props validation', () => {
  it('JobsQueue: at least six times the consumer timeout, a sane receive limit, within 12 hours', () => {
    expect(() =>
      validateJobsQueueProps({ consumerTimeout: Duration.minutes(1), visibilityTimeoutFactor: 5 }),
    ).toThrow(InfraPropsError);
    expect(() =>
      validateJobsQueueProps({ consumerTimeout: Duration.minutes(1), maxReceiveCount: 0 }),
    ).toThrow(/maxReceiveCount/);
    expect(() => validateJobsQueueProps({ consumerTimeout: Duration.hours(3) })).toThrow(/12 hours/);
    expect(() => validateJobsQueueProps({ consumerTimeout: Duration.minutes(2) })).not.toThrow();
    expect(() =>
      validateJobsQueueProps({
        consumerTimeout: Duration.minutes(2),
        visibilityTimeout: Duration.minutes(11),
      }),
    ).toThrow(/visibility timeout 660s is under 6 × the consumer timeout \(720s\)/);
    expect(() =>
      validateJobsQueueProps({
        consumerTimeout: Duration.minutes(2),
        visibilityTimeout: Duration.minutes(12),
      }),
    ).not.toThrow();
  });

  it('JobsQueue: takes an explicit visibility timeout over the factor', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'T');
    new JobsQueue(stack, 'Jobs', {
      consumerTimeout: Duration.seconds(45),
      visibilityTimeout: Duration.minutes(10),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 600 });
  });

  it('JobsQueue: derives the visibility timeout from the consumer timeout', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'T');
    new JobsQueue(stack, 'Jobs', { consumerTimeout: Duration.seconds(45), maxReceiveCount: 3 });
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 270,
      RedrivePolicy: { maxReceiveCount: 3 },
    });
  });

  it('Api: refuses an unthrottled or inverted throttle', () => {
    const base = { handler: undefined as never, logRetention: 30 };
    expect(() => validateApiProps({ ...base, throttle: { rateLimit: 0, burstLimit: 10 } })).toThrow(
      /unthrottled/,
    );
    expect(() => validateApiProps({ ...base, throttle: { rateLimit: 10, burstLimit: 5 } })).toThrow(
      /burstLimit/,
    );
  });

  it('LifecycleRule: refuses an unscoped rule and malformed names', () => {
    const base = { target: undefined as never, deadLetterQueue: undefined as never };
    expect(() => validateLifecycleRuleProps({ ...base, asgNames: [] })).toThrow(/every group/);
    expect(() => validateLifecycleRuleProps({ ...base, asgNames: ['a:b'] })).toThrow(/invalid/);
    expect(() => validateLifecycleRuleProps({ ...base, asgNames: ['a*'] })).toThrow(/invalid/);
    expect(() => validateLifecycleRuleProps({ ...base, asgNames: ['a', 'a'] })).toThrow(/duplicates/);
  });

  it('SnapshotSchedules: one schedule per tenant, cron or rate only', () => {
    const base = { target: undefined as never, deadLetterQueue: undefined as never };
    const s = { tenant: 'acme', expression: 'rate(1 day)', timezone: 'UTC', enabled: true };
    expect(() => validateSnapshotSchedulesProps({ ...base, schedules: [s, s] })).toThrow(/two schedules/);
    expect(() =>
      validateSnapshotSchedulesProps({
        ...base,
        schedules: [{ ...s, expression: 'at(2026-01-01T00:00:00)' }],
      }),
    ).toThrow(/cron/);
  });

  it('SnapshotsBucket: prefix and retention are checked', () => {
    expect(() => validateSnapshotsBucketProps({ accessLogRetentionDays: 0 })).toThrow(/positive/);
    expect(() => validateSnapshotsBucketProps({ accessLogRetentionDays: 7, prefix: '../x/' })).toThrow(
      /prefix/,
    );
  });

  it('Tables: invalid attribute names and duplicate indexes fail at synth time', () => {
    expect(() =>
      validateTableDefinition('t', { defaultName: 't', partitionKey: 'p k', globalSecondaryIndexes: [] }),
    ).toThrow(/invalid attribute/);
    const gsi = { indexName: 'i', partitionKey: 'a' };
    expect(() =>
      validateTableDefinition('t', {
        defaultName: 't',
        partitionKey: 'pk',
        globalSecondaryIndexes: [gsi, gsi],
      }),
    ).toThrow(/duplicate index/);
  });

  it('ZcopsFunction: owns the Powertools/NODE_OPTIONS variables and refuses AWS_ ones', () => {
    expect(() => validateZcopsFunctionProps({ ...fnProps, environment: { NODE_OPTIONS: '--x' } })).toThrow(
      /set by the construct/,
    );
    expect(() => validateZcopsFunctionProps({ ...fnProps, environment: { AWS_REGION: 'x' } })).toThrow(
      /reserved/,
    );
    expect(() => validateZcopsFunctionProps({ ...fnProps, entry: 'x.py', environment: {} })).toThrow(
      /\.ts or \.js/,
    );
    expect(() => validateZcopsFunctionProps({ ...fnProps, memorySizeMb: 64, environment: {} })).toThrow(
      /memorySizeMb/,
    );
  });

  it("ZcopsFunction: bundles with the project's esbuild, never Docker", () => {
    expect(assertLocalEsbuild(ROOT)).toMatch(/node_modules\/esbuild\//);
    expect(() => assertLocalEsbuild('/')).toThrow(/never in Docker/);
  });
});
