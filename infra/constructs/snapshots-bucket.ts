import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  ObjectOwnership,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BUCKET_DEFAULTS, REMOVAL } from '../defaults.ts';
import { InfraPropsError } from '../errors.ts';

/**
 * The snapshots bucket: encrypted (SSE-S3), versioned, TLS only, every public access blocked,
 * bucket-owner-enforced objects, server access logs to a companion bucket, and lifecycle rules
 * (infrequent access after 30 days, noncurrent versions expire, stale multipart uploads aborted).
 * Retained when the stack is deleted.
 *
 * @example
 * const bucket = new SnapshotsBucket(this, 'Snapshots', { accessLogRetentionDays: 90 });
 * bucket.grantSnapshotWriter(workerFn);
 */
export interface SnapshotsBucketProps {
  /** Days server access logs are kept. */
  accessLogRetentionDays: number;
  /** Key prefix of every snapshot (DESIGN.md, "Storage"). */
  prefix?: string;
}

export const SNAPSHOTS_PREFIX = 'snapshots/';

export function validateSnapshotsBucketProps(props: SnapshotsBucketProps): void {
  if (!Number.isInteger(props.accessLogRetentionDays) || props.accessLogRetentionDays < 1)
    throw new InfraPropsError('SnapshotsBucket', 'accessLogRetentionDays must be a positive integer');
  const prefix = props.prefix ?? SNAPSHOTS_PREFIX;
  if (!/^[a-z0-9][a-z0-9/_-]*\/$/.test(prefix))
    throw new InfraPropsError('SnapshotsBucket', `prefix "${prefix}" must be a plain path ending with "/"`);
}

export class SnapshotsBucket extends Construct {
  readonly bucket: Bucket;
  readonly accessLogsBucket: Bucket;
  readonly prefix: string;

  constructor(scope: Construct, id: string, props: SnapshotsBucketProps) {
    super(scope, id);
    validateSnapshotsBucketProps(props);
    this.prefix = props.prefix ?? SNAPSHOTS_PREFIX;

    this.accessLogsBucket = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: false,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(props.accessLogRetentionDays) }],
    });
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        "This bucket receives the snapshots bucket's server access logs; logging it into itself would loop.",
    });

    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: REMOVAL.snapshots,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'snapshots-bucket/',
      lifecycleRules: [
        {
          id: 'snapshots-tiering',
          prefix: this.prefix,
          transitions: [
            {
              storageClass: StorageClass.INFREQUENT_ACCESS,
              transitionAfter: BUCKET_DEFAULTS.transitionToInfrequentAccessAfter,
            },
          ],
          noncurrentVersionExpiration: BUCKET_DEFAULTS.expireNoncurrentVersionsAfter,
        },
        {
          id: 'abort-incomplete-uploads',
          abortIncompleteMultipartUploadAfter: BUCKET_DEFAULTS.abortIncompleteMultipartUploadAfter,
        },
      ],
    });
  }

  /**
   * What the snapshot writer (`shared/snapshots/s3-object-store.ts`) needs and nothing more:
   * `GetObject` (the previous snapshot's index and the `latest.json` pointer, for the diff),
   * `PutObject` (single PUTs, and every part of a multipart upload: Create/UploadPart/Complete are
   * all authorised as `s3:PutObject`) and `AbortMultipartUpload` (a failed stream), under the prefix.
   * No delete, no `ListMultipartUploadParts` (lib-storage never lists parts).
   *
   * `s3:ListBucket` on the bucket, without a prefix condition: the store never lists, but without
   * ListBucket S3 answers a GetObject of a missing key with 403 instead of 404, and a tenant's first
   * snapshot (no `latest.json` yet) would fail instead of starting a fresh history. A GetObject
   * request has no `s3:prefix` key, so a `StringLike s3:prefix` condition cannot be relied on to
   * grant that check; the bucket holds nothing but snapshots (access logs go to their own bucket),
   * so listing it reveals only snapshot key names.
   */
  grantSnapshotWriter(grantee: IGrantable): void {
    const objects = this.bucket.arnForObjects(`${this.prefix}*`);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
        resources: [objects],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }),
    );
  }
}
