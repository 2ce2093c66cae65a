import { describe, expect, it } from 'vitest';
import { METRIC_NAMES, POWERTOOLS_DEFAULTS } from '../../../infra/defaults.ts';
import {
  EMITTED_METRIC_NAMES,
  EVENTS_METRIC_NAMES,
  type EventsOutcome,
  eventsMetricName,
  SERVICE_NAMES,
  WEBHOOK_METRIC_NAMES,
  webhookMetricName,
} from '../../../shared/observability/metric-names.ts';
import { synth } from '../infra/helpers.ts';

interface MetricRef {
  namespace: string;
  name: string;
  service: string | undefined;
}

type Dimension = { Name: string; Value: unknown };

/** The metrics an alarm watches: its own, or those of its metric math. */
function metricsOf(props: Record<string, unknown>): MetricRef[] {
  const service = (dims: Dimension[] | undefined) =>
    dims?.find((d) => d.Name === 'service')?.Value as string | undefined;
  if (typeof props.MetricName === 'string') {
    return [
      {
        namespace: props.Namespace as string,
        name: props.MetricName,
        service: service(props.Dimensions as Dimension[] | undefined),
      },
    ];
  }
  const math = (props.Metrics ?? []) as {
    MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions?: Dimension[] } };
  }[];
  return math.flatMap((m) =>
    m.MetricStat
      ? [
          {
            namespace: m.MetricStat.Metric.Namespace,
            name: m.MetricStat.Metric.MetricName,
            service: service(m.MetricStat.Metric.Dimensions),
          },
        ]
      : [],
  );
}

describe('metric names shared by the code and the alarms', () => {
  it("every alarm on a zcops metric watches one the alarmed function emits, under that function's service", () => {
    const { template } = synth({ cfnValidation: false });
    const alarms = Object.entries(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThan(0);
    const services = Object.entries(SERVICE_NAMES) as [keyof typeof SERVICE_NAMES, string][];
    let watched = 0;
    for (const [id, alarm] of alarms) {
      for (const m of metricsOf(alarm.Properties)) {
        if (m.namespace !== POWERTOOLS_DEFAULTS.metricsNamespace) continue;
        watched++;
        const fn = services.find(([, name]) => name === m.service)?.[0];
        expect(fn, `${id}: service dimension ${m.service} is no function's`).toBeDefined();
        expect(
          EMITTED_METRIC_NAMES[fn!],
          `${id} watches ${m.name}, which ${m.service} never emits`,
        ).toContain(m.name);
      }
    }
    // Failed requests, 429s, limiter waits, and the webhook and events halves of intake failures.
    expect(watched).toBe(5);
  });

  it("infra's METRIC_NAMES are all emitted names", () => {
    const emitted = new Set(Object.values(EMITTED_METRIC_NAMES).flat());
    for (const name of Object.values(METRIC_NAMES)) expect(emitted.has(name), name).toBe(true);
  });

  it('the webhook counts one of its names for every status, and each name for some status', () => {
    const counted = new Set<string>();
    for (let status = 100; status < 600; status++) counted.add(webhookMetricName(status));
    expect([...counted].sort()).toEqual(Object.values(WEBHOOK_METRIC_NAMES).sort());
    expect(webhookMetricName(503)).toBe('IntakeFailures');
    expect(webhookMetricName(202)).toBe('RequestsAccepted');
  });

  it('the events function counts one name per outcome, and EventsFailed when it throws', () => {
    const outcomes: EventsOutcome[] = ['accepted', 'duplicate', 'rejected', 'ignored'];
    expect(outcomes.map(eventsMetricName)).toEqual([
      'EventsAccepted',
      'EventsDuplicate',
      'EventsRejected',
      'EventsIgnored',
    ]);
    expect(EVENTS_METRIC_NAMES.failed).toBe('EventsFailed');
  });
});
