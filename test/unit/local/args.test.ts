import { describe, expect, it } from 'vitest';
import { parseDuration, parseStartArgs } from '../../../local/args.ts';
import { LocalConfigError } from '../../../local/errors.ts';

describe('npm start flags', () => {
  it('defaults', () => {
    expect(parseStartArgs([])).toMatchObject({
      port: 8787,
      host: '127.0.0.1',
      live: false,
      persist: false,
      noSchedules: false,
    });
  });
  it('parses every flag', () => {
    const a = parseStartArgs([
      '--port',
      '0',
      '--persist',
      '--schedule-every',
      '5m',
      '--tenant-file',
      't.json',
      '--config',
      'c.json',
      '--live',
      '--verbose',
    ]);
    expect(a).toMatchObject({
      port: 0,
      persist: true,
      scheduleEveryMs: 300_000,
      tenantFile: 't.json',
      configFile: 'c.json',
      live: true,
      verbose: true,
    });
  });
  it('refuses bad flags with a typed error', () => {
    expect(() => parseStartArgs(['--nope'])).toThrow(LocalConfigError);
    expect(() => parseStartArgs(['--port', 'abc'])).toThrow(/not a port/);
    expect(() => parseStartArgs(['--schedule-every', 'soon'])).toThrow(/duration/);
  });
  it('durations', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('2')).toBe(2_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(() => parseDuration('10ms')).toThrow(/at least 1s/);
  });
});
