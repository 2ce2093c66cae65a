/**
 * The CLI's exit codes, which scripts may rely on.
 *
 * | code | meaning |
 * | --- | --- |
 * | 0 | success (for `status`/`submit --wait`/`snapshot`: the request SUCCEEDED or is still going) |
 * | 1 | failure: the command could not do its job (AWS error, simulator did not start, ...) |
 * | 2 | usage: unknown command or flag, bad value, unreadable or invalid input file |
 * | 3 | not found: no such request, ticket, resource events, DLQ message or tenant |
 * | 4 | the request ended FAILED, REJECTED or DEAD_LETTERED (or was refused at submission) |
 * | 5 | the stack is not reachable / not configured (start it with `npm start`, or give `--profile-file`) |
 * | 6 | timed out waiting (`--wait`, `snapshot`): the request is still running |
 */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  notFound: 3,
  requestFailed: 4,
  unavailable: 5,
  timeout: 6,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The table above as text, for `--help`. */
export const EXIT_CODES_HELP = `Exit codes:
  0  success
  1  failure (the command could not do its job)
  2  usage error (bad command, flag, value or input file)
  3  not found (request, ticket, resource, DLQ message, tenant)
  4  the request ended FAILED, REJECTED or DEAD_LETTERED, or was refused at submission
  5  the stack is not reachable or not configured (npm start, or --profile-file)
  6  timed out waiting; the request is still running`;
