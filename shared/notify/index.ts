/**
 * Ticket callbacks: tell an ITSM ticket how its request ended (ServiceNow work note, Jira comment,
 * signed POST), with retries; failures are audited and never change the request.
 *
 * @example
 * const notifier = new TicketNotifier({ settings: parseNotifySettings(config.notify), secrets, audit });
 */
export { backoffMs } from './backoff.ts';
export {
  type Delivered,
  type DeliveryContext,
  deliverGeneric,
  deliverJira,
  deliverServiceNow,
} from './channels.ts';
export {
  type CallbackRetry,
  type CallbackTarget,
  type GenericCallback,
  type JiraCallback,
  NOTIFY_STATES,
  type NotifySettings,
  type NotifySettingsInput,
  NotifySettingsSchema,
  parseNotifySettings,
  type ServiceNowCallback,
} from './config.ts';
export { authorizationHeader, type CallbackAuth, loadCallbackAuth } from './credentials.ts';
export {
  CallbackCredentialsError,
  CallbackDeliveryError,
  NotifyConfigError,
  NotifyError,
  TicketNotFoundError,
} from './errors.ts';
export { createHttpSend, type HttpAnswer, type HttpCall, type HttpSend } from './http.ts';
export { type OutcomeMessage, outcomeOf, outcomeText } from './message.ts';
export { type NotifyReport, TicketNotifier, type TicketNotifierOptions } from './ticket-notifier.ts';
