import * as z from 'zod';

/**
 * What a teardown hands from one run to the next (kept on the request while it is DEFERRED): that
 * the lifecycle action is done, and what was learned about the connector, so later runs neither
 * complete the action twice nor look the connector up from scratch.
 */
export const TeardownProgressSchema = z.looseObject({
  lifecycleDone: z.boolean().optional(),
  /** ISO time the lifecycle action was completed (or found already gone). */
  lifecycleAt: z.string().optional(),
  /** Why it could not be completed, when it could not (already completed, timed out, no completer). */
  lifecycleNote: z.string().optional(),
  privateIp: z.string().optional(),
  connectorId: z.string().optional(),
  connectorName: z.string().optional(),
  /** The lookup was (or is being) coalesced with other deletions: never join another round for it. */
  lookupJoined: z.boolean().optional(),
  /** The shared lookup round joined (only until its answer is used). */
  lookupRound: z.string().optional(),
  /** The shared bulk delete round joined (after the guardrails allowed the deletion). */
  deleteRound: z.string().optional(),
  /** Delete rounds joined so far (one turned away unsent is joined again, a few times). */
  deleteJoins: z.number().optional(),
  /** The deletion was allowed although connected (force after the grace period). */
  graceExpired: z.boolean().optional(),
});
export type TeardownProgress = z.output<typeof TeardownProgressSchema>;

/** The progress of a previous run; anything unreadable counts as none (start over safely). */
export function readProgress(progress: Record<string, unknown> | undefined): TeardownProgress {
  const parsed = TeardownProgressSchema.safeParse(progress ?? {});
  return parsed.success ? parsed.data : {};
}

/** Only the progress fields (the request's result may hold other things). */
export function progressFields(p: TeardownProgress): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of [
    'lifecycleDone',
    'lifecycleAt',
    'lifecycleNote',
    'privateIp',
    'connectorId',
    'connectorName',
    'lookupJoined',
  ] as const) {
    if (p[k] !== undefined) out[k] = p[k];
  }
  return out;
}
