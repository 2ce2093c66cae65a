/** The count metric of an answer's status: one per invocation, the alarms read these names. */
export function answerMetric(status: number): string {
  if (status === 202) return 'RequestsAccepted';
  if (status === 200) return 'RequestsAnswered';
  if (status === 400) return 'RequestsInvalid';
  if (status === 401) return 'RequestsUnauthenticated';
  if (status === 403) return 'RequestsForbidden';
  if (status === 409) return 'RequestsConflicting';
  if (status === 413) return 'RequestsTooLarge';
  if (status >= 500) return 'IntakeFailures';
  return 'RequestsRefused';
}
