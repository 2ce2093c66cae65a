import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForSettled } from '../../../cli/request-view.ts';
import { terminateLifecycleEvent } from '../../../local/aws-events.ts';
import { type DeployedStack, startDeployedStack } from '../../../local/deployed/deployed-stack.ts';
import { LOCAL_ASG_GROUP_ID, LOCAL_ASG_NAME, LOCAL_TENANT } from '../../../local/local-config.ts';
import { SIGNATURE_HEADER, sign, TIMESTAMP_HEADER } from '../../../shared/intake/signature.ts';
import { DynamoRequestStore } from '../../../shared/requests/dynamo-request-store.ts';
import { createDocumentClient } from '../../../shared/storage/dynamo.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const CREDENTIALS = { accessKeyId: 'test-reader', secretAccessKey: 'x' };

/**
 * The synthesized stack run as deployed (local/deployed): bundles from cdk.out, the template's
 * environment, routes, rule pattern, schedule, event source mapping and async-invoke settings.
 */
describe('the deployed shape', () => {
  let d: DeployedStack;
  let store: DynamoRequestStore;
  let requestsTable: string;

  beforeAll(async () => {
    d = await startDeployedStack({
      projectRoot: ROOT,
      workDir: mkdtempSync(join(tmpdir(), 'zcops-deployed-')),
      // ZCOPS_DEPLOYED_LOGS=1 prints the functions' own log lines.
      ...(process.env.ZCOPS_DEPLOYED_LOGS
        ? { onLog: (id: string, line: string) => console.log(id, line) }
        : {}),
    });
    requestsTable =
      d.names.refs[
        d.stack.ofType('AWS::DynamoDB::Table').find(([id]) => id.startsWith('TablesRequests'))![0]
      ]!;
    store = new DynamoRequestStore(
      createDocumentClient({ region: 'us-east-1', endpoint: d.endpoints.dynamodb, credentials: CREDENTIALS }),
      requestsTable,
    );
  }, 120_000);
  afterAll(async () => d?.stop());

  const settled = async (requestId: string) => {
    const { record } = await waitForSettled(store, requestId, { timeoutMs: 30_000, intervalMs: 200 });
    return record;
  };

  it('ITSM ticket through the HTTP API → App Connector group created', async () => {
    const groupName = `Deployed Lyon ${Date.now().toString(36)}`;
    const body = JSON.stringify({
      number: 'CHG0090001',
      short_description: 'App Connector group for Lyon',
      u_zcops_action: 'Create App Connector group',
      u_zscaler_tenant: LOCAL_TENANT,
      u_group_name: groupName,
      u_location: 'Lyon, France',
      u_latitude: '45.764',
      u_longitude: '4.8357',
    });
    const key = (d.secrets['zcops/sources/servicenow'] as { hmac: string }).hmac;
    const ts = String(Math.floor(Date.now() / 1000));
    const answer = await fetch(`${d.url}/v1/hooks/servicenow`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [TIMESTAMP_HEADER]: ts,
        [SIGNATURE_HEADER]: sign(key, ts, body),
      },
      body,
    });
    const json = (await answer.json()) as { requestId?: string };
    expect(answer.status, JSON.stringify(json)).toBe(202);
    const record = await settled(json.requestId!);
    expect(record?.state, JSON.stringify(record)).toBe('SUCCEEDED');
    expect([...d.simulator.state.appConnectorGroups.values()].some((g) => g.name === groupName)).toBe(true);
  });
});
