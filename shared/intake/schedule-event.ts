import * as z from 'zod';

/**
 * A schedule's event. EventBridge Scheduler targets the events function with this input template
 * (context attributes filled in by Scheduler); a classic EventBridge rule may send the same shape
 * with `source: aws.events`:
 *
 * ```json
 * {"version":"0","id":"<aws.scheduler.execution-id>","detail-type":"Scheduled Event",
 *  "source":"aws.scheduler","account":"123456789012","time":"<aws.scheduler.scheduled-time>",
 *  "region":"eu-west-1","resources":["<aws.scheduler.schedule-arn>"],
 *  "detail":{"tenant":"acme","action":"inventory.snapshot"}}
 * ```
 */
export const ScheduleEventSchema = z.looseObject({
  id: z.string().min(1),
  'detail-type': z.literal('Scheduled Event'),
  source: z.enum(['aws.scheduler', 'aws.events']),
  time: z.string().optional(),
  resources: z.array(z.string()).optional(),
  detail: z.looseObject({
    tenant: z.string({ error: 'detail.tenant is required' }),
    action: z.literal('inventory.snapshot').default('inventory.snapshot'),
    source: z.string().optional(),
  }),
});
export type ScheduleEvent = z.output<typeof ScheduleEventSchema>;

/** Maps a schedule event onto an `inventory.snapshot` draft; one snapshot per schedule run. */
export function mapScheduleEvent(event: ScheduleEvent): Record<string, unknown> {
  const schedule = event.resources?.[0]?.split('/').pop() ?? 'schedule';
  return {
    action: 'inventory.snapshot',
    tenant: event.detail.tenant,
    reason: `scheduled inventory snapshot (${schedule})`,
    source: { ref: `${schedule}@${event.time ?? event.id}`.slice(0, 200) },
    idempotencyKey: `schedule:${event.id}`.slice(0, 200),
  };
}
