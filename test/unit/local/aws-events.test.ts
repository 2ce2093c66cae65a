import { describe, expect, it } from 'vitest';
import { snapshotPayload } from '../../../infra/constructs/snapshot-schedules.ts';
import { scheduledSnapshotEvent, terminateLifecycleEvent } from '../../../local/aws-events.ts';
import {
  LifecycleDetailSchema,
  mapLifecycleDetail,
  TERMINATE_LIFECYCLE_DETAIL_TYPE,
} from '../../../shared/intake/lifecycle-event.ts';
import { ScheduleEventSchema } from '../../../shared/intake/schedule-event.ts';
import terminateFixture from '../../fixtures/events/eventbridge-terminate-lifecycle.json' with {
  type: 'json',
};

describe('terminateLifecycleEvent', () => {
  it('has exactly the shape of an EventBridge terminate lifecycle action', () => {
    const e = terminateLifecycleEvent({
      asgName: 'zpa-app-connectors',
      instanceId: 'i-0a1b2c3d4e5f67890',
      metadata: { tenant: 'acme', groupId: '72057615512764441', connectorName: 'aws-{instanceId}' },
    });
    expect(Object.keys(e).sort()).toEqual(Object.keys(terminateFixture).sort());
    expect(Object.keys(e.detail as object).sort()).toEqual(Object.keys(terminateFixture.detail).sort());
    expect(e['detail-type']).toBe(TERMINATE_LIFECYCLE_DETAIL_TYPE);
    expect(e.source).toBe('aws.autoscaling');
    expect((e.resources as string[])[0]).toMatch(
      /^arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:[0-9a-f-]+:autoScalingGroupName\/zpa-app-connectors$/,
    );
    const detail = LifecycleDetailSchema.parse(e.detail);
    const mapped = mapLifecycleDetail(detail);
    expect(mapped.issues).toEqual([]);
    expect(mapped.draft).toMatchObject({
      tenant: 'acme',
      groupId: '72057615512764441',
      connectorName: 'aws-i-0a1b2c3d4e5f67890',
    });
  });
});

describe('scheduledSnapshotEvent', () => {
  it('has the keys of the deployed schedule input and passes the events function schema', () => {
    const e = scheduledSnapshotEvent({ tenant: 'acme', scheduleName: 'zcops-snapshot-acme' });
    expect(Object.keys(e).sort()).toEqual(Object.keys(snapshotPayload('acme')).sort());
    const parsed = ScheduleEventSchema.parse(e);
    expect(parsed.detail).toEqual({ tenant: 'acme', action: 'inventory.snapshot' });
    expect(parsed.resources?.[0]).toMatch(/schedule\/default\/zcops-snapshot-acme$/);
  });
});
