import { describe, expect, it } from 'vitest';
import { EventPatternError } from '../../../local/deployed/errors.ts';
import { matchesPattern } from '../../../local/deployed/event-pattern.ts';
import { evaluate, type IamStatement, wildcardMatch } from '../../../local/deployed/iam-check.ts';
import { failedEventOf } from '../../../shared/intake/failed-event.ts';

const terminate = {
  source: 'aws.autoscaling',
  'detail-type': 'EC2 Instance-terminate Lifecycle Action',
  detail: {
    AutoScalingGroupName: 'asg-a',
    LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
    n: 5,
  },
  resources: ['arn:1', 'arn:2'],
};

describe('EventBridge pattern matching (deployed shape)', () => {
  it("matches the lifecycle rule's pattern only for its groups", () => {
    const pattern = {
      source: ['aws.autoscaling'],
      'detail-type': ['EC2 Instance-terminate Lifecycle Action'],
      detail: { AutoScalingGroupName: ['asg-a', 'asg-b'] },
    };
    expect(matchesPattern(pattern, terminate)).toBe(true);
    expect(matchesPattern(pattern, { ...terminate, detail: { AutoScalingGroupName: 'asg-c' } })).toBe(false);
    expect(matchesPattern(pattern, { ...terminate, source: 'aws.ec2' })).toBe(false);
    expect(
      matchesPattern(pattern, { source: 'aws.autoscaling', 'detail-type': terminate['detail-type'] }),
    ).toBe(false);
  });

  it('knows prefix, suffix, anything-but, exists, numeric, equals-ignore-case, $or and arrays in the event', () => {
    expect(matchesPattern({ detail: { AutoScalingGroupName: [{ prefix: 'asg-' }] } }, terminate)).toBe(true);
    expect(matchesPattern({ detail: { LifecycleTransition: [{ suffix: 'TERMINATING' }] } }, terminate)).toBe(
      true,
    );
    expect(
      matchesPattern({ detail: { AutoScalingGroupName: [{ 'anything-but': ['asg-a'] }] } }, terminate),
    ).toBe(false);
    expect(
      matchesPattern({ detail: { AutoScalingGroupName: [{ 'anything-but': { prefix: 'x' } }] } }, terminate),
    ).toBe(true);
    expect(matchesPattern({ detail: { missing: [{ exists: false }] } }, terminate)).toBe(true);
    expect(matchesPattern({ detail: { n: [{ exists: true }] } }, terminate)).toBe(true);
    expect(matchesPattern({ detail: { n: [{ numeric: ['>', 1, '<=', 5] }] } }, terminate)).toBe(true);
    expect(matchesPattern({ detail: { n: [{ numeric: ['>', 5] }] } }, terminate)).toBe(false);
    expect(matchesPattern({ source: [{ 'equals-ignore-case': 'AWS.AUTOSCALING' }] }, terminate)).toBe(true);
    expect(matchesPattern({ $or: [{ source: ['x'] }, { resources: ['arn:2'] }] }, terminate)).toBe(true);
  });

  it('refuses an operator it does not implement instead of guessing', () => {
    expect(() => matchesPattern({ source: [{ wildcard: 'aws.*' }] }, terminate)).toThrow(EventPatternError);
  });
});

describe('IAM evaluation (deployed shape)', () => {
  const table = 'arn:aws:dynamodb:us-east-1:000000000000:table/Audit';
  const statements: IamStatement[] = [
    {
      Effect: 'Allow',
      Action: ['dynamodb:PutItem', 'dynamodb:Query'],
      Resource: [table, `${table}/index/*`],
    },
    { Effect: 'Deny', Action: ['dynamodb:DeleteItem'], Resource: [table] },
    {
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue'],
      Resource: ['arn:aws:secretsmanager:*:secret:a-??????'],
    },
  ];
  const call = (action: string, resource: string) => ({ accessKeyId: 'k', action, resources: [resource] });

  it('allows what a statement grants, wildcards included; an explicit deny wins; the rest is denied', () => {
    expect(evaluate(statements, call('dynamodb:PutItem', table))).toBe('allowed');
    expect(evaluate(statements, call('DynamoDB:Query', `${table}/index/byTicket`))).toBe('allowed');
    expect(evaluate(statements, call('dynamodb:DeleteItem', table))).toBe('explicit-deny');
    expect(evaluate(statements, call('dynamodb:UpdateItem', table))).toBe('implicit-deny');
    expect(
      evaluate(
        statements,
        call('secretsmanager:GetSecretValue', 'arn:aws:secretsmanager:r:1:secret:a-AbCdEf'),
      ),
    ).toBe('allowed');
    expect(
      evaluate(
        statements,
        call('secretsmanager:GetSecretValue', 'arn:aws:secretsmanager:r:1:secret:ab-AbCdEf'),
      ),
    ).toBe('implicit-deny');
    expect(wildcardMatch('a?c', 'abc')).toBe(true);
    expect(wildcardMatch('a?c', 'abbc')).toBe(false);
  });
});

describe('failed events (events redrive)', () => {
  it("reads Lambda's destination record and raw EventBridge events, and says why otherwise", () => {
    const record = {
      version: '1.0',
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: terminate,
      responsePayload: { errorType: 'IntakeUnavailableError', errorMessage: 'queue' },
    };
    expect(failedEventOf(JSON.stringify(record))).toMatchObject({
      event: terminate,
      condition: 'RetriesExhausted',
    });
    expect(failedEventOf(JSON.stringify({ ...terminate }))).toEqual({ event: terminate });
    expect(failedEventOf('not json').error).toMatch(/not JSON/);
    expect(failedEventOf('{"a":1}').error).toMatch(/neither/);
    expect(failedEventOf('{"requestPayload":"x"}').error).toMatch(/carries no event/);
  });
});
