import { relative } from 'node:path';
import type { LocalStack } from './stack.ts';

/**
 * What `npm start` prints once the stack is up: where everything listens, which tenant it uses (and
 * whether writes are real), and a first request to try. Tokens are never printed: the request reads
 * them from `.zcops/<source>.token`.
 */
export function banner(stack: LocalStack, stateDir: string, cwd: string): string {
  const dir = relative(cwd, stateDir) || '.';
  const p = stack.profile;
  const tenants = stack.config.tenants.map((t) => t.name).join(', ');
  const mode =
    stack.tenantMode === 'simulator'
      ? `simulator at ${stack.simulator?.url} (seeded from the docs' examples)`
      : stack.forceDryRun
        ? 'REAL Zscaler tenant(s), DRY RUN: requests plan and audit, no write (start with --live to write)'
        : 'REAL Zscaler tenant(s), LIVE: requests make real changes';
  const tenant = stack.config.tenants[0]?.name ?? 'acme';
  const itsm = stack.config.sources.find((s) => s.itsm?.system === 'servicenow');
  const schedules = stack.scheduler.entries();
  const lines = [
    '',
    'zcops local stack is up',
    `  webhook API     ${stack.url}/v1/requests, /v1/hooks/{servicenow,jira,teardown}, GET /v1/requests/{id}, GET /v1/openapi.json`,
    `  local routes    POST ${stack.url}/local/asg/terminate, POST ${stack.url}/local/schedule/run`,
    `  tenant(s)       ${tenants} → ${mode}`,
    `  DynamoDB        ${p.endpoints.dynamodb}  tables ${Object.values(p.tables).join(', ')}`,
    `  SQS and S3      ${p.endpoints.sqs}  queue ${stack.resources.queues.jobsUrl}, bucket ${stack.resources.bucket}`,
    ...(stack.controlPlane
      ? [
          `  Auto Scaling, EC2 ${stack.controlPlane.endpoint}  (stand-in: CompleteLifecycleAction, DescribeInstances)`,
        ]
      : []),
    ...(stack.itsm
      ? [
          `  ITSM callbacks  ServiceNow ${stack.itsm.servicenow.url}, Jira ${stack.itsm.jira.url}, generic ${stack.itsm.generic.url} (stand-ins)`,
        ]
      : []),
    `  schedules       ${schedules.length === 0 ? 'none' : schedules.map((s) => `${s.tenant}: ${s.expression}, next ${new Date(s.nextAt).toISOString()}`).join('; ')}`,
    `  state           ${dir}/local.json (read by npx zcops), secrets in ${dir}/secrets.json`,
    '',
  ];
  if (itsm) {
    lines.push(
      'Try a first request: a ServiceNow change ticket that creates an App Connector group',
      `  curl -s -X POST ${stack.url}/v1/hooks/servicenow \\`,
      `    -H "Authorization: Bearer $(cat ${dir}/${itsm.name}.token)" -H 'content-type: application/json' \\`,
      `    -d '{"number":"CHG0031337","short_description":"App Connectors for Lyon","u_zcops_action":"Create App Connector group","u_zscaler_tenant":"${tenant}","u_group_name":"Lyon App Connectors","u_location":"Lyon, France","u_latitude":"45.764","u_longitude":"4.8357"}'`,
      'then follow it (with the requestId it answers):',
      '  npx zcops status <requestId>',
    );
  }
  lines.push(
    'Other things to try:',
    `  curl -s -X POST ${stack.url}/local/asg/terminate -d '{"instanceId":"i-0123456789abcdef0","privateIp":"10.0.1.23"}'   # an autoscaling terminate event`,
    '  npx zcops snapshot                # an inventory snapshot with a progress bar',
    '  npx zcops audit --ticket CHG0031337',
    '  npx zcops limiter',
    '',
    'Ctrl-C stops everything.',
    '',
  );
  return lines.join('\n');
}
