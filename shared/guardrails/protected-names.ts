/** The default protected-name pattern: anything containing "do not delete", in any case. */
export const DEFAULT_PROTECTED_PATTERNS: readonly string[] = ['do not delete'];

/**
 * Names that are never deleted. Patterns are regular expressions matched case-insensitively
 * anywhere in the name.
 *
 * @example
 * const names = new ProtectedNames(['do not delete']);
 * names.match('edge-01 (DO NOT DELETE)'); // 'do not delete'
 * names.match('edge-02'); // undefined
 */
export class ProtectedNames {
  readonly #patterns: { source: string; re: RegExp }[];

  constructor(patterns: readonly string[] = DEFAULT_PROTECTED_PATTERNS) {
    this.#patterns = patterns.map((source) => ({ source, re: new RegExp(source, 'i') }));
  }

  /** The first pattern the name matches, or undefined. */
  match(name: string | undefined): string | undefined {
    if (name === undefined) return undefined;
    return this.#patterns.find((p) => p.re.test(name))?.source;
  }
}
