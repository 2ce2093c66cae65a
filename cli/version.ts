import pkg from '../package.json' with { type: 'json' };

/** The CLI's version: the package's own (`zcops --version`); the bundle carries it inline. */
export const VERSION: string = pkg.version;
