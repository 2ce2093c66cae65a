import type { SourcePolicy } from '../config/sources.ts';
import { RequestValidationError } from '../requests/errors.ts';
import type { Issue } from '../requests/issues.ts';
import type { SubmitContext } from '../requests/submit.ts';
import type { IntakeCall } from './authenticate.ts';
import { type Channel, channelRefusal } from './channel.ts';
import { MalformedBodyError, RouteNotAllowedError } from './errors.ts';
import { mapItsmBody } from './itsm-mapping.ts';
import { mapTeardownHook } from './teardown-hook.ts';

/** Header naming a Jira Cloud webhook delivery (the same on Jira's retries of it). */
export const JIRA_DELIVERY_HEADER = 'x-atlassian-webhook-identifier';

/** A channel's body as a canonical request draft, with what `submit` needs to judge it. */
export interface Translated {
  draft: unknown;
  /** Mapping issues, field origins (ITSM), the delivery id (Jira) and the `received` audit detail. */
  context: SubmitContext;
}

/**
 * Turns a channel's body into a canonical draft (validated afterwards by `submit`): the canonical
 * body as is, an ITSM body through the source's mapping (issues then name the ITSM's own fields),
 * a teardown hook body through its schema. Throws `MalformedBodyError` for a body that is not
 * JSON and `RequestValidationError` for a malformed Jira delivery id.
 *
 * @example
 * const { draft, context } = translate('servicenow', policy, { headers, body });
 */
export function translate(channel: Channel, policy: SourcePolicy, call: IntakeCall): Translated {
  let parsed: unknown;
  try {
    parsed = JSON.parse(call.body.toString('utf8'));
  } catch (err) {
    throw new MalformedBodyError([
      { path: '(root)', message: `the body is not valid JSON (${(err as Error).message.slice(0, 120)})` },
    ]);
  }

  // Jira Cloud names each delivery; its retries carry the same identifier.
  const deliveryId = channel === 'jira' ? call.headers[JIRA_DELIVERY_HEADER] : undefined;
  if (deliveryId !== undefined && !/^[\x21-\x7e]{1,200}$/.test(deliveryId)) {
    throw new RequestValidationError([
      {
        path: JIRA_DELIVERY_HEADER,
        message: `${JIRA_DELIVERY_HEADER} must be 1 to 200 printable ASCII characters`,
      },
    ]);
  }

  let draft: unknown = parsed;
  let issues: Issue[] | undefined;
  let origins: Record<string, string> | undefined;
  if (channel === 'servicenow' || channel === 'jira') {
    // `authenticate` already held the source to its channel; a source without a mapping is refused.
    const mapping = policy.itsm;
    if (mapping?.system !== channel) throw new RouteNotAllowedError(channelRefusal(channel, policy) ?? '');
    ({ draft, issues, origins } = mapItsmBody(parsed, mapping));
  } else if (channel === 'teardown') {
    ({ draft, issues } = mapTeardownHook(parsed));
  }
  return {
    draft,
    context: {
      ...(issues ? { issues } : {}),
      ...(origins ? { origins } : {}),
      ...(deliveryId ? { deliveryId } : {}),
      received: { route: channel, bytes: call.body.length, ...(deliveryId ? { deliveryId } : {}) },
    },
  };
}
