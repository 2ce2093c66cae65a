import { userInfo } from 'node:os';
import { CliError } from './errors.ts';
import { EXIT } from './exit-codes.ts';
import type { TargetProfile } from './profile.ts';

/** Marks a name the caller gave about itself (the local stack has no one to vouch for it). */
export const SELF_ASSERTED = '(self-asserted)';

/** Who the cloud says the caller is: `GetCallerIdentity`'s ARN. Injectable for tests. */
export type CallerArn = (region: string) => Promise<string>;

/**
 * The identity approvals, pauses and CLI requests are recorded under. Against a deployed stack it
 * is the ARN AWS reports for the caller's credentials (STS GetCallerIdentity), which nobody can
 * type in; against the local stack it is `ZCOPS_OPERATOR` or the OS user, labelled self-asserted.
 *
 * @example
 * await operatorIdentity(profile, process.env) // 'arn:aws:sts::123456789012:assumed-role/Ops/alice'
 */
export async function operatorIdentity(
  profile: TargetProfile,
  env: Record<string, string | undefined>,
  callerArn: CallerArn = stsCallerArn,
): Promise<string> {
  if (profile.kind === 'local') return `${env.ZCOPS_OPERATOR ?? osUser()} ${SELF_ASSERTED}`;
  try {
    return await callerArn(profile.region);
  } catch (err) {
    throw new CliError(
      `cannot tell who you are: STS GetCallerIdentity failed (${(err as Error).name}: ${(err as Error).message}); check your AWS credentials`,
      EXIT.unavailable,
    );
  }
}

/** STS GetCallerIdentity (loaded on first use: the local stack never needs it). */
async function stsCallerArn(region: string): Promise<string> {
  const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  const sts = new STSClient({ region });
  try {
    const { Arn } = await sts.send(new GetCallerIdentityCommand({}));
    if (!Arn) throw new Error('no ARN in the answer');
    return Arn;
  } finally {
    sts.destroy();
  }
}

function osUser(): string {
  try {
    return userInfo().username || 'operator';
  } catch {
    return 'operator';
  }
}
