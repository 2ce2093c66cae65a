import * as z from 'zod';
import type { ApiFamily, RateClass } from '../zscaler/hooks.ts';
import { InvalidRateLimitKeyError, RateLimitConfigError } from './errors.ts';
import { formatKey, type RateLimitKey } from './key.ts';
import {
  isZtwBudget,
  ZTW_DOCUMENTED_METHODS,
  ZTW_FAMILIES,
  type ZtwBudget,
  type ZtwFamily,
  type ZtwMethod,
  ztwClassOf,
} from './ztw-budgets.ts';

/**
 * Budgets with per-tenant overrides. ZPA: per method class (`read`, `write`). Cloud & Branch
 * Connector: per endpoint family and method (`ecVmUuid.delete`, see `ztw-budgets.ts`), with the
 * method classes as the budgets of endpoints the summary does not list. Defaults come from Zscaler's
 * documented limits (facts page); a safety margin turns each documented window into a slightly slower
 * schedule so network jitter and clock skew between workers never push a call over the limit.
 */

/** One documented window: at most `limit` calls per `windowMs`. */
export interface WindowLimit {
  limit: number;
  windowMs: number;
  /**
   * How many permits may be taken back to back after an idle period (default 1: pure spacing). A burst
   * `b` costs sustained rate: the interval becomes `window / (limit - b + 1)`, so that `b` quick permits
   * plus the steady ones still never exceed `limit` in any window.
   */
  burst?: number;
}

export type ClassLimits = WindowLimit[] | 'unlimited';
export type LimitedClass = Exclude<RateClass, 'none'>;
export type LimitsTable = Record<ApiFamily, Record<LimitedClass, ClassLimits>>;
/** What a key's third part names: a method class, or (ZTW) an endpoint family's budget. */
export type BudgetName = LimitedClass | ZtwBudget;
/** The per-endpoint ZTW table: each family's documented methods. */
export type ZtwEndpointTable = { [F in ZtwFamily]: Partial<Record<ZtwMethod, ClassLimits>> };

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Documented limits. ZPA: GET 20/10 s; POST+PUT+DELETE share 10/10 s (per organisation and source IP).
 * ZTW per method class, the generic weight table, for endpoints the summary does not list: GET 2/s
 * and 1000/h; POST/PUT 1/s and 400/h; DELETE 1/min and 4/h; activate 1/s and 400/h (the endpoints
 * zcops calls all have their own row, `DEFAULT_ZTW_ENDPOINT_LIMITS`).
 * Hourly windows allow a burst of half their limit (so a scale-in of a few instances is not spread over
 * an hour), at half the sustained rate; see `WindowLimit.burst`.
 */
export const DEFAULT_LIMITS: LimitsTable = {
  zpa: {
    read: [{ limit: 20, windowMs: 10 * SECOND }],
    write: [{ limit: 10, windowMs: 10 * SECOND }],
    // ZPA bills deletes and other writes to one budget; keys normalise these classes to `write`.
    delete: [{ limit: 10, windowMs: 10 * SECOND }],
    activate: [{ limit: 10, windowMs: 10 * SECOND }],
  },
  ztw: {
    read: [
      { limit: 2, windowMs: SECOND },
      { limit: 1000, windowMs: HOUR, burst: 500 },
    ],
    write: [
      { limit: 1, windowMs: SECOND },
      { limit: 400, windowMs: HOUR, burst: 200 },
    ],
    delete: [
      { limit: 1, windowMs: MINUTE },
      { limit: 4, windowMs: HOUR, burst: 2 },
    ],
    activate: [
      { limit: 1, windowMs: SECOND },
      { limit: 400, windowMs: HOUR, burst: 200 },
    ],
  },
};

/** `perSecond`/s and `perHour`/h, the hourly window with a burst of half its limit. */
const perSecondAndHour = (perSecond: number, perHour: number): WindowLimit[] => [
  { limit: perSecond, windowMs: SECOND },
  { limit: perHour, windowMs: HOUR, burst: perHour / 2 },
];

/**
 * The Cloud & Branch Connector *API Rate Limit Summary* (facts page), per endpoint family and
 * method: these override the generic weight table. `/auth` is not limited (its calls carry no budget).
 */
export const DEFAULT_ZTW_ENDPOINT_LIMITS: ZtwEndpointTable = {
  ecgroup: {
    get: perSecondAndHour(5, 3000),
    post: perSecondAndHour(5, 3000),
    put: perSecondAndHour(1, 400),
    delete: perSecondAndHour(1, 400),
  },
  ecgroupLite: { get: perSecondAndHour(5, 3000) },
  ecVm: {
    get: perSecondAndHour(5, 3000),
    post: perSecondAndHour(1, 400),
    put: perSecondAndHour(1, 400),
    delete: perSecondAndHour(1, 400),
  },
  ecVmUuid: { get: perSecondAndHour(5, 3000), delete: perSecondAndHour(1, 400) },
  ecInstanceLite: { get: perSecondAndHour(2, 1000) },
  ecAdminActivateStatus: { get: perSecondAndHour(10, 5000) },
  ecAdminActivateStatusActivate: { put: perSecondAndHour(1, 400) },
};

const WindowSchema = z
  .object({
    limit: z.int().positive('limit must be a positive integer'),
    windowMs: z.int().positive('windowMs must be a positive integer (milliseconds)'),
    burst: z.int().positive('burst must be a positive integer').optional(),
  })
  .strict()
  .refine((w) => (w.burst ?? 1) <= w.limit, { message: 'burst cannot exceed limit', path: ['burst'] });

const ClassSchema = z.union([
  z.literal('unlimited'),
  z
    .array(WindowSchema)
    .min(1, 'give at least one window, or "unlimited"')
    .refine((ws) => new Set(ws.map((w) => w.windowMs)).size === ws.length, {
      message: 'two windows of one class cannot have the same windowMs',
    }),
]);

const ClassesShape = { read: ClassSchema, write: ClassSchema, delete: ClassSchema, activate: ClassSchema };
const ApiSchema = z.object(ClassesShape).partial().strict();

/** One ZTW family: its documented methods only (a method without a row is refused by name). */
const familySchema = (family: ZtwFamily) =>
  z
    .object(Object.fromEntries(ZTW_DOCUMENTED_METHODS[family].map((m) => [m, ClassSchema])))
    .partial()
    .strict()
    .optional();

/**
 * ZTW overrides: per endpoint family and method (`ecVmUuid: { delete: [...] }`), and the method
 * classes. A class (`delete`, the form older configurations use) sets the windows of every endpoint
 * of that class that has no key of its own at the same level (tenant, or `defaults`), each endpoint
 * still keeping its own budget, and of the endpoints the summary does not list.
 */
const ZtwApiSchema = z
  .object({
    ...Object.fromEntries(ZTW_FAMILIES.map((f) => [f, familySchema(f)])),
    ...Object.fromEntries(Object.entries(ClassesShape).map(([k, v]) => [k, v.optional()])),
  })
  .strict();
type ZtwOverride = Partial<Record<LimitedClass, ClassLimits>> & {
  [F in ZtwFamily]?: Partial<Record<ZtwMethod, ClassLimits>>;
};

const TableOverrideSchema = z.object({ zpa: ApiSchema, ztw: ZtwApiSchema }).partial().strict();

const Margin = z.number().min(0, 'margin must be >= 0').max(1, 'margin must be <= 1 (100%)');

/**
 * The limiter's configuration. Unknown fields are rejected so a typo cannot silently fall back to a
 * default.
 */
export const RateLimitsConfigSchema = z
  .object({
    /** Fraction added to every window (0.03: a 10 s window is scheduled as 10.3 s). */
    margin: Margin.default(0.03),
    /**
     * Absolute ms added to every window on top of `margin`: the part of the slack kept for network
     * and clock jitter between a worker and Zscaler, which the limiter never spends on a late answer.
     */
    minMarginMs: z.number().min(0).default(50),
    /** Lower bound of the whole slack of a window, in ms (0: `margin` plus `minMarginMs` decide). */
    minSlackMs: z.number().min(0).default(0),
    /** Benchmarks and tests: every window (and `minMarginMs`, `minSlackMs`) is divided by this. */
    timeScale: z.number().positive('timeScale must be > 0').default(1),
    /** Replaces default classes for every tenant. */
    defaults: TableOverrideSchema.optional(),
    /** Per tenant: replaces classes and/or the margin. */
    tenants: z
      .record(
        z.string().min(1),
        z.object({ margin: Margin.optional(), limits: TableOverrideSchema.optional() }).strict(),
      )
      .default({}),
  })
  .strict();
export type RateLimitsConfig = z.input<typeof RateLimitsConfigSchema>;

/** A window ready for scheduling (times already divided by `timeScale`). */
export interface ResolvedWindow {
  /** Attribute suffix in storage, unique within a key: `w<windowMs>`. */
  id: string;
  limit: number;
  windowMs: number;
  burst: number;
  /** Spacing between permits in steady state. */
  intervalMs: number;
  /** How far ahead of its schedule a permit may go (burst): `(burst - 1) * intervalMs`. */
  toleranceMs: number;
  /** Time the schedule keeps beyond the window: `(limit - burst + 1) * intervalMs - windowMs`. */
  slackMs: number;
  /** The part of `slackMs` kept for jitter (`minMarginMs`, scaled); the rest absorbs late answers. */
  jitterMs: number;
}

/**
 * Resolved limits: which windows apply to a key.
 *
 * @example
 * const limits = RateLimits.from({ margin: 0.05, tenants: { acme: { limits: { zpa: { write: [{ limit: 5, windowMs: 10_000 }] } } } } });
 * limits.windowsFor({ tenant: 'acme', api: 'zpa', rateClass: 'write' }); // [{ id: 'w10000', intervalMs: 2100, ... }]
 */
export class RateLimits {
  readonly config: z.output<typeof RateLimitsConfigSchema>;

  private constructor(config: z.output<typeof RateLimitsConfigSchema>) {
    this.config = config;
  }

  /** Validates `input`; throws `RateLimitConfigError` listing every problem. */
  static from(input: RateLimitsConfig = {}): RateLimits {
    const parsed = RateLimitsConfigSchema.safeParse(input);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      const text = issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ');
      throw new RateLimitConfigError(`invalid rate limit configuration: ${text}`, issues);
    }
    return new RateLimits(parsed.data);
  }

  /** The budget a class spends: ZPA bills every non-GET method to `write`; ZTW budgets are their own. */
  static budgetClass(api: ApiFamily, rateClass: BudgetName): BudgetName {
    return api === 'zpa' && rateClass !== 'read' ? 'write' : rateClass;
  }

  /** The configured (unscaled) windows of a key, before margin. */
  limitsFor(key: RateLimitKey): ClassLimits {
    const cls = RateLimits.budgetClass(key.api, key.rateClass);
    const tenant = this.config.tenants[key.tenant]?.limits;
    const defaults = this.config.defaults;
    if (key.api === 'ztw' && isZtwBudget(cls)) {
      const dot = cls.indexOf('.');
      const family = cls.slice(0, dot) as ZtwFamily;
      const method = cls.slice(dot + 1) as ZtwMethod;
      const klass = ztwClassOf(cls);
      const at = (o: ZtwOverride | undefined) => o?.[family]?.[method] ?? o?.[klass];
      return (
        at(tenant?.ztw as ZtwOverride | undefined) ??
        at(defaults?.ztw as ZtwOverride | undefined) ??
        DEFAULT_ZTW_ENDPOINT_LIMITS[family][method] ??
        DEFAULT_LIMITS.ztw[klass]
      );
    }
    if (isZtwBudget(cls))
      throw new InvalidRateLimitKeyError(
        formatKey(key),
        'endpoint budgets are Cloud & Branch Connector only',
      );
    type Classes = Partial<Record<LimitedClass, ClassLimits>> | undefined;
    return (
      (tenant?.[key.api] as Classes)?.[cls] ??
      (defaults?.[key.api] as Classes)?.[cls] ??
      DEFAULT_LIMITS[key.api][cls]
    );
  }

  /** Windows with margin and time scale applied, or `unlimited`. */
  windowsFor(key: RateLimitKey): ResolvedWindow[] | 'unlimited' {
    const limits = this.limitsFor(key);
    if (limits === 'unlimited') return 'unlimited';
    const margin = this.config.tenants[key.tenant]?.margin ?? this.config.margin;
    const scale = this.config.timeScale;
    return limits.map((w) => {
      const windowMs = w.windowMs / scale;
      const burst = w.burst ?? 1;
      const jitterMs = this.config.minMarginMs / scale;
      const slack = Math.max(windowMs * margin + jitterMs, this.config.minSlackMs / scale);
      // `burst` permits at once plus (limit - burst) spaced ones fit in one window plus slack. Whole
      // milliseconds, rounded up: a fractional interval would let float error land a slot on the boundary.
      const intervalMs = Math.ceil((windowMs + slack) / (w.limit - burst + 1));
      return {
        id: `w${Math.round(windowMs)}`,
        limit: w.limit,
        windowMs,
        burst,
        intervalMs,
        toleranceMs: (burst - 1) * intervalMs,
        slackMs: (w.limit - burst + 1) * intervalMs - windowMs,
        jitterMs,
      };
    });
  }
}
