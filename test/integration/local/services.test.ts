import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDynalite, startDynalite } from '../../../local/services/dynalite.ts';
import { type RunningFauxqs, startFauxqsServer } from '../../../local/services/fauxqs.ts';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('local stand-ins', () => {
  let ddb: RunningDynalite;
  let fq: RunningFauxqs;
  beforeAll(async () => {
    ddb = await startDynalite();
    fq = await startFauxqsServer();
  });
  afterAll(async () => {
    await ddb.stop();
    await fq.stop();
  });

  it('dynalite answers the DynamoDB protocol on loopback', async () => {
    const client = new DynamoDBClient({ endpoint: ddb.endpoint, region: 'us-east-1', credentials });
    const out = await client.send(new ListTablesCommand({}));
    expect(out.TableNames).toEqual([]);
    expect(ddb.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('fauxqs answers the SQS protocol on loopback', async () => {
    const client = new SQSClient({ endpoint: fq.endpoint, region: 'us-east-1', credentials });
    const out = await client.send(new CreateQueueCommand({ QueueName: 'smoke' }));
    expect(out.QueueUrl).toContain('smoke');
  });
});
