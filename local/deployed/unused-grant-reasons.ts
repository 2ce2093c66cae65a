/**
 * Why each grant the deployed-shape run leaves unused stays in the template. The IAM check
 * (`checkIam`) lists every action × resource of a function's Allow statements that no call used;
 * the test wants each covered by one reason here, and each reason to name a grant the template still
 * has (a reason whose grant was removed must go). `function` is the zcops function name,
 * `action` and `resource` IAM wildcards over the local stack's ARNs.
 */
export interface UnusedGrantReason {
  function: 'webhook' | 'events' | 'worker' | '*';
  action: string;
  resource: string;
  reason: string;
}

export const UNUSED_GRANT_REASONS: readonly UnusedGrantReason[] = [
  {
    function: 'worker',
    action: 'secretsmanager:GetSecretValue',
    resource: '*:secret:zcops/itsm/jira-*',
    reason:
      "The Jira source's ticket callback credentials (notify): the deployed-shape run files its ticket through ServiceNow only.",
  },
  {
    function: '*',
    action: 'logs:*',
    resource: 'arn:aws:logs:*',
    reason:
      "Lambda's runtime sends the function's log lines to its log group with this role; the code makes no Logs call.",
  },
  {
    function: '*',
    action: 'dynamodb:*Item',
    resource: '*/index/*',
    reason:
      'CDK table grants cover the table and its indexes together; item reads and writes never address an index, Query does (kept as one grant).',
  },
  {
    function: '*',
    action: 'dynamodb:Query',
    resource: '*',
    reason:
      "Queries serve lookups this run does not make: submit's duplicate search by ticket + action + target, GET /v1/requests/{id}'s audit trail, the guardrails' deletion window, the worker's read of a settled request's trail when its message comes back after a crash (the deployed chaos run makes it).",
  },
  {
    function: 'webhook',
    action: 'dynamodb:GetItem',
    resource: '*:table/TablesRequests*',
    reason:
      'GET /v1/requests/{id} reads the request; the run only calls it unauthenticated (401 before the read).',
  },
  {
    function: 'events',
    action: 'dynamodb:GetItem',
    resource: '*:table/TablesRequests*',
    reason:
      'Read when an event repeats one already submitted (EventBridge redelivery, a redrive of an accepted event).',
  },
  {
    function: 'webhook',
    action: 'dynamodb:DeleteItem',
    resource: '*:table/TablesRequests*',
    reason:
      'Releases an idempotency claim when the job cannot be queued (503); the run breaks the queue for the events function only.',
  },
  {
    function: 'webhook',
    action: 'secretsmanager:GetSecretValue',
    resource: '*',
    reason:
      'Each source reads its own secret when a request from it arrives; the run sends ServiceNow requests only.',
  },
  {
    function: 'events',
    action: 'sqs:GetQueue*',
    resource: '*:EventsFailures*',
    reason:
      "Added by CDK's SqsDestination (grantSendMessages); Lambda sends the destination record with SendMessage only.",
  },
  {
    function: 'events',
    action: 'autoscaling:CompleteLifecycleAction',
    resource: '*',
    reason:
      'Completes (CONTINUE) the hook of a lifecycle event it must reject; the run sends valid events only.',
  },
  {
    function: 'worker',
    action: 'sqs:*',
    resource: '*:JobsQueue*',
    reason:
      "CDK's SqsEventSource grant for the event source mapping's pollers (GetQueueAttributes, GetQueueUrl, ChangeMessageVisibility are Lambda's, not the code's).",
  },
  {
    function: 'worker',
    action: 's3:AbortMultipartUpload',
    resource: '*',
    reason: 'Aborts a snapshot upload that failed half way; every snapshot of the run completes.',
  },
  {
    function: 'worker',
    action: 's3:ListBucket',
    resource: '*',
    reason:
      'Without it S3 answers a missing previous snapshot with 403 instead of 404; the diff then reads "no previous".',
  },
];
