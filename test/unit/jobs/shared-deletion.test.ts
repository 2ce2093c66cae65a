import { describe, expect, it } from 'vitest';
import { matchTarget } from '../../../shared/jobs/connector-match.ts';
import { bulkDeleteAndConfirm } from '../../../shared/jobs/shared-delete.ts';
import {
  ConflictError,
  NotFoundError,
  RetryLaterError,
  TransientError,
} from '../../../shared/zscaler/errors.ts';
import type { AppConnector } from '../../../shared/zscaler/schemas/app-connector.ts';
import type { ZpaClient } from '../../../shared/zscaler/zpa/client.ts';

const G = '72057615512764441';
const conn = (id: string, extra: Partial<AppConnector> = {}): AppConnector =>
  ({ id, name: `c-${id}`, appConnectorGroupId: G, ...extra }) as AppConnector;

describe('matchTarget (the one-by-one lookup rules on a shared listing)', () => {
  const listing = [
    conn('1', { privateIp: '10.0.0.1', controlChannelStatus: 'ZPN_STATUS_DISCONNECTED' }),
    conn('2', { privateIp: '10.0.0.2', name: 'twin' }),
    conn('3', { privateIp: '10.0.0.2', name: 'twin', appConnectorGroupId: '99' }),
    conn('4', { assistantVersion: { privateIp: '10.0.0.4' } }),
  ];
  it('finds by id, by private IP within the group (own or reported address), by exact name', () => {
    expect(matchTarget(listing, { connectorId: '1' })).toEqual({
      found: {
        id: '1',
        name: 'c-1',
        appConnectorGroupId: G,
        privateIp: '10.0.0.1',
        controlChannelStatus: 'ZPN_STATUS_DISCONNECTED',
      },
    });
    expect(matchTarget(listing, { privateIp: '10.0.0.2', groupId: G })).toMatchObject({ found: { id: '2' } });
    expect(matchTarget(listing, { privateIp: '10.0.0.4', groupId: G })).toMatchObject({ found: { id: '4' } });
    expect(matchTarget(listing, { name: 'twin', groupId: '99' })).toMatchObject({ found: { id: '3' } });
  });
  it('nothing found is "none"; two candidates or an id in another group refuse', () => {
    expect(matchTarget(listing, { connectorId: '404' })).toEqual({ none: true });
    expect(matchTarget(listing, { privateIp: '10.9.9.9', groupId: G })).toEqual({ none: true });
    expect(matchTarget(listing, { name: 'twin' })).toMatchObject({
      refused: expect.stringContaining('2 connectors'),
    });
    expect(matchTarget(listing, { connectorId: '3', groupId: G })).toMatchObject({
      refused: expect.stringContaining('belongs to group 99'),
    });
    expect(matchTarget(listing, { groupId: G })).toMatchObject({ refused: expect.any(String) });
  });
});

/** A ZPA client whose bulk delete and listing are scripted; it records the chunks sent. */
function fakeZpa(opts: {
  present: Set<string>;
  failChunk?: (index: number, ids: readonly string[]) => Error | undefined;
  /** The bulk delete removes nothing (the answer lies, or the change is not visible yet). */
  ignore?: Set<string>;
  listingFails?: boolean;
}) {
  const chunks: string[][] = [];
  const zpa = {
    appConnectors: {
      async bulkDelete(ids: readonly string[]) {
        const err = opts.failChunk?.(chunks.length, ids);
        chunks.push([...ids]);
        if (err && !(err instanceof TransientError)) throw err;
        for (const id of ids) if (!opts.ignore?.has(id)) opts.present.delete(id);
        if (err) throw err; // landed, but the answer was lost
      },
      async *listPages() {
        if (opts.listingFails) throw new TransientError('listing timed out');
        yield { page: 1, totalPages: 1, list: [...opts.present].map((id) => conn(id)) };
      },
    },
  } as unknown as ZpaClient;
  return { zpa, chunks };
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => String(1000 + i));

describe('bulkDeleteAndConfirm', () => {
  it('chunks at the given size and reads every id back gone with one listing', async () => {
    const all = ids(250);
    const { zpa, chunks } = fakeZpa({ present: new Set([...all, '7']) });
    const r = await bulkDeleteAndConfirm(zpa, all, 100, {}, () => 0);
    expect(chunks.map((c) => c.length)).toEqual([100, 100, 50]);
    expect(r).toMatchObject({ gone: all, unconfirmed: [], notSent: [] });
    expect('calls' in r && r.calls).toEqual([
      'POST /connector/bulkDelete (chunk 1 of 3, 100 ids)',
      'POST /connector/bulkDelete (chunk 2 of 3, 100 ids)',
      'POST /connector/bulkDelete (chunk 3 of 3, 50 ids)',
      'GET /connector (paged listing, 1 page)',
    ]);
  });

  it('an id still listed after the bulk answer is unconfirmed (its member settles alone)', async () => {
    const all = ids(5);
    const { zpa } = fakeZpa({ present: new Set(all), ignore: new Set(['1002']) });
    const r = await bulkDeleteAndConfirm(zpa, all, 100, {}, () => 0);
    expect(r).toMatchObject({ gone: ['1000', '1001', '1003', '1004'], unconfirmed: ['1002'] });
  });

  it('a chunk refused as a whole (an id vanished) is unconfirmed, the other chunks go on', async () => {
    const all = ids(6);
    const { zpa, chunks } = fakeZpa({
      present: new Set(all),
      failChunk: (i) => (i === 0 ? new NotFoundError('resource.not.found') : undefined),
    });
    const r = await bulkDeleteAndConfirm(zpa, all, 3, {}, () => 0);
    expect(chunks).toHaveLength(2);
    expect(r).toMatchObject({
      gone: ['1003', '1004', '1005'],
      unconfirmed: ['1000', '1001', '1002'],
      notSent: [],
    });
  });

  it('a chunk turned away unsent (limiter, busy) stops the sending: it and the rest are notSent, with when to retry', async () => {
    const all = ids(9);
    const { zpa, chunks } = fakeZpa({
      present: new Set(all),
      failChunk: (i) => (i === 1 ? new RetryLaterError('rate limit', 123_456, 'rate-limit') : undefined),
    });
    const r = await bulkDeleteAndConfirm(zpa, all, 3, {}, () => 0);
    expect(chunks).toHaveLength(2);
    expect(r).toMatchObject({
      gone: ['1000', '1001', '1002'],
      notSent: ['1003', '1004', '1005', '1006', '1007', '1008'],
      retryAt: 123_456,
    });
    const busy = fakeZpa({
      present: new Set(all),
      failChunk: () => new ConflictError('busy', {}, 'simultaneous-request'),
    });
    expect(await bulkDeleteAndConfirm(busy.zpa, all, 100, {}, () => 50)).toMatchObject({
      gone: [],
      notSent: all,
      retryAt: 5_050,
      calls: [],
    });
  });

  it('a lost answer may have landed: the listing decides; a failed listing leaves every sent id unconfirmed', async () => {
    const all = ids(4);
    const { zpa } = fakeZpa({
      present: new Set(all),
      failChunk: (i) => (i === 0 ? new TransientError('socket hang up') : undefined),
    });
    const r = await bulkDeleteAndConfirm(zpa, all, 2, {}, () => 0);
    // The first chunk landed although its answer was lost; the second was never sent.
    expect(r).toMatchObject({ gone: ['1000', '1001'], notSent: ['1002', '1003'], unconfirmed: [] });

    const blind = fakeZpa({ present: new Set(all), listingFails: true });
    expect(await bulkDeleteAndConfirm(blind.zpa, all, 100, {}, () => 0)).toMatchObject({
      gone: [],
      unconfirmed: all,
    });
  });
});
