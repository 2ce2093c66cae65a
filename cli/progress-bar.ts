/**
 * A one-line progress bar on stderr: redrawn in place on a terminal, one line per change
 * otherwise (logs stay readable), never on stdout (which `--json` keeps clean).
 *
 * @example
 * const bar = new ProgressBar(io.err, io.interactive);
 * bar.update(0.4, 'RUNNING · 12 Zscaler calls');
 * bar.done('SUCCEEDED');
 */
export class ProgressBar {
  readonly #write: (text: string) => void;
  readonly #interactive: boolean;
  readonly #width: number;
  #last = '';

  constructor(write: (text: string) => void, interactive: boolean, width = 30) {
    this.#write = write;
    this.#interactive = interactive;
    this.#width = width;
  }

  /** Draws `fraction` (0..1) with a label; repeats of the same line are not drawn again. */
  update(fraction: number, label: string): void {
    const line = renderBar(fraction, this.#width, label);
    if (line === this.#last) return;
    this.#last = line;
    this.#write(this.#interactive ? `\r\x1b[2K${line}` : `${line}\n`);
  }

  /** Draws the final state and ends the line. */
  done(label: string, fraction = 1): void {
    this.update(fraction, label);
    if (this.#interactive) this.#write('\n');
  }
}

/** `[#########.........]  45% label` */
export function renderBar(fraction: number, width: number, label: string): string {
  const f = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  const filled = Math.round(f * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(f * 100)).padStart(3)}% ${label}`;
}
