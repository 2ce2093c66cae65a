import fc from 'fast-check';

/**
 * Property and fuzz tests run from one fixed seed by default, so `npm test` and CI are repeatable;
 * `FC_SEED=<n>` replays a seed a failure printed, `FC_SEED=random` explores new inputs (how the
 * route-table bug in functions/webhook/routes.ts was found).
 */
const requested = process.env.FC_SEED;
if (requested !== 'random') {
  const seed = requested === undefined ? 20261121 : Number(requested);
  if (!Number.isSafeInteger(seed))
    throw new Error(`FC_SEED must be an integer or "random", not ${requested}`);
  fc.configureGlobal({ seed });
}
