import type { Command } from '../command.ts';
import { approveCommand } from './approve.ts';
import { auditCommand } from './audit.ts';
import { dlqListCommand, dlqRedriveCommand } from './dlq.ts';
import { eventsRedriveCommand } from './events-redrive.ts';
import { limiterCommand } from './limiter.ts';
import { pauseCommand, resumeCommand } from './pause.ts';
import { simulatorCommand } from './simulator.ts';
import { snapshotCommand } from './snapshot.ts';
import { statusCommand } from './status.ts';
import { submitCommand } from './submit.ts';

/** Every command, in the order `zcops --help` lists them. */
export const COMMANDS: readonly Command[] = [
  submitCommand,
  statusCommand,
  auditCommand,
  snapshotCommand,
  limiterCommand,
  dlqListCommand,
  dlqRedriveCommand,
  eventsRedriveCommand,
  approveCommand,
  pauseCommand,
  resumeCommand,
  simulatorCommand,
];
