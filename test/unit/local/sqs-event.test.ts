import { describe, expect, it } from 'vitest';
import { failedIds } from '../../../local/event-source-mapping.ts';
import { toSqsEvent } from '../../../local/sqs-event.ts';

describe('toSqsEvent', () => {
  it('shapes received messages as Lambda delivers them', () => {
    const event = toSqsEvent(
      [
        {
          MessageId: 'm1',
          ReceiptHandle: 'r1',
          Body: '{"v":1}',
          MD5OfBody: 'md5',
          Attributes: {
            ApproximateReceiveCount: '3',
            SentTimestamp: '100',
            SenderId: 'AID',
            ApproximateFirstReceiveTimestamp: '200',
          },
          MessageAttributes: { tenant: { DataType: 'String', StringValue: 'acme' } },
        },
      ],
      'arn:aws:sqs:us-east-1:000000000000:zcops-jobs',
      'us-east-1',
    );
    expect(event.Records).toHaveLength(1);
    const r = event.Records[0]!;
    expect(r).toMatchObject({
      messageId: 'm1',
      receiptHandle: 'r1',
      body: '{"v":1}',
      md5OfBody: 'md5',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:zcops-jobs',
      awsRegion: 'us-east-1',
    });
    expect(r.attributes).toEqual({
      ApproximateReceiveCount: '3',
      SentTimestamp: '100',
      SenderId: 'AID',
      ApproximateFirstReceiveTimestamp: '200',
    });
    expect(r.messageAttributes.tenant).toEqual({
      dataType: 'String',
      stringValue: 'acme',
      stringListValues: [],
      binaryListValues: [],
    });
  });
});

describe('failedIds (ReportBatchItemFailures)', () => {
  const ids = ['a', 'b', 'c'];
  it('an empty response or an empty list means every record succeeded', () => {
    expect(failedIds(undefined, ids).size).toBe(0);
    expect(failedIds({ batchItemFailures: [] }, ids).size).toBe(0);
  });
  it('listed ids failed, the others succeeded', () => {
    expect([...failedIds({ batchItemFailures: [{ itemIdentifier: 'b' }] }, ids)]).toEqual(['b']);
  });
  it('a malformed entry or an unknown id fails the whole batch, as Lambda does', () => {
    expect(failedIds({ batchItemFailures: [{ itemIdentifier: '' }] }, ids).size).toBe(3);
    expect(failedIds({ batchItemFailures: [{ itemIdentifier: 'zzz' }] }, ids).size).toBe(3);
    expect(failedIds({ batchItemFailures: 'nope' }, ids).size).toBe(3);
  });
});
