import { afterEach, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../../simulator/index.ts';
import { type Client, client, ZPA_BASE, zpaLogin } from '../simulator/helpers.ts';

const KEY_1 = '217246660303024865';
const AZURE_1 = '144118148382064836';
const DO_NOT_DELETE = '144118148382065437';

/**
 * `sim.state.changes`, what the truthfulness check of the chaos run reads: each connector removal
 * and group creation, with the call whose handler made it, whatever that call was answered.
 */
describe('simulator model changes: what each write changed', () => {
  let sim: RunningSimulator;
  let c: Client;
  afterEach(async () => {
    await c.close();
    await sim.stop();
  });

  it('names the call of each removal and creation; a refused or faulted call changes nothing', async () => {
    sim = await startSimulator({ rateLimits: false });
    c = client(sim);
    const auth = await zpaLogin(c);
    const before = sim.state.changes.length;

    expect((await c.call('DELETE', `${ZPA_BASE}/connector/${KEY_1}`, { headers: auth })).status).toBe(204);
    // Already gone: 400, nothing removed.
    expect((await c.call('DELETE', `${ZPA_BASE}/connector/${KEY_1}`, { headers: auth })).status).toBe(400);
    const bulk = await c.call('POST', `${ZPA_BASE}/connector/bulkDelete`, {
      headers: auth,
      json: { ids: [AZURE_1, '123456'] },
    });
    expect(bulk.status).toBe(200);
    const body = { name: 'Lyon', latitude: '45.7', longitude: '4.8', location: 'Lyon, France' };
    const created = await c.call('POST', `${ZPA_BASE}/appConnectorGroup`, { headers: auth, json: body });
    expect(created.status).toBe(201);
    // A 500 that is not applied: no change.
    sim.setFaults({ serverError: 1, methods: ['DELETE'] });
    expect((await c.call('DELETE', `${ZPA_BASE}/connector/${DO_NOT_DELETE}`, { headers: auth })).status).toBe(
      500,
    );

    const changes = sim.state.changes.slice(before);
    expect(
      changes.map((x) => ({
        op: x.op,
        kind: x.kind,
        id: x.id,
        call: x.call && { method: x.call.method, path: x.call.path, status: x.call.status },
      })),
    ).toEqual([
      {
        op: 'removed',
        kind: 'connector',
        id: KEY_1,
        call: { method: 'DELETE', path: `${ZPA_BASE}/connector/${KEY_1}`, status: 204 },
      },
      {
        op: 'removed',
        kind: 'connector',
        id: AZURE_1,
        call: { method: 'POST', path: `${ZPA_BASE}/connector/bulkDelete`, status: 200 },
      },
      {
        op: 'created',
        kind: 'appConnectorGroup',
        // The create answer carries no id (as in the docs' example): the group is found by its name.
        id: [...sim.state.appConnectorGroups.values()].find((g) => g.name === 'Lyon')?.id,
        call: { method: 'POST', path: `${ZPA_BASE}/appConnectorGroup`, status: 201 },
      },
    ]);
    // The entry is the call log's own, so its index can be found.
    expect(sim.callLog.indexOf(changes[0]!.call!)).toBeGreaterThanOrEqual(0);
    expect(changes[1]).toMatchObject({ name: 'Azure Connector-1', groupId: expect.any(String) });
  });

  it('records an ambiguous write that landed, and no call for what a test changed directly', async () => {
    sim = await startSimulator({ rateLimits: false });
    c = client(sim);
    const auth = await zpaLogin(c);
    sim.setFaults({ appliedThenError: 1, methods: ['DELETE'] });
    expect((await c.call('DELETE', `${ZPA_BASE}/connector/${KEY_1}`, { headers: auth })).status).toBe(500);
    sim.state.removeConnector(AZURE_1);
    const [landed, direct] = sim.state.changes.slice(-2);
    expect(landed).toMatchObject({
      op: 'removed',
      id: KEY_1,
      call: { fault: 'appliedThenError', status: 500 },
    });
    expect(direct).toMatchObject({ op: 'removed', id: AZURE_1 });
    expect(direct?.call).toBeUndefined();
  });
});
