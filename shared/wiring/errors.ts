/** The worker's configuration or environment is wrong; `problems` names each bad field. */
export class WorkerConfigError extends Error {
  readonly problems: string[];
  constructor(origin: string, problems: string[]) {
    super(`invalid worker configuration (${origin}): ${problems.join('; ')}`);
    this.name = 'WorkerConfigError';
    this.problems = problems;
  }
}
