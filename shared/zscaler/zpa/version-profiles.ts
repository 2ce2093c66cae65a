import { type VersionProfile, VersionProfileSchema } from '../schemas/version-profile.ts';
import type { ZpaContext } from './context.ts';
import { pagedItems, pagedList, type ZpaListOptions } from './list-support.ts';
import type { NumberedPage } from './paging.ts';

const PATH = '/visible/versionProfiles';

/**
 * ZPA version profiles: `GET .../visible/versionProfiles` (paged).
 *
 * @example
 * const profile = await zpa.versionProfiles.findByName('Default');
 */
export class VersionProfilesApi {
  readonly #ctx: ZpaContext;

  constructor(ctx: ZpaContext) {
    this.#ctx = ctx;
  }

  list(opts?: ZpaListOptions): AsyncGenerator<VersionProfile, void, undefined> {
    return pagedItems(this.#ctx, 'versionProfile.list', PATH, VersionProfileSchema, opts);
  }

  listPages(opts?: ZpaListOptions): AsyncGenerator<NumberedPage<VersionProfile>, void, undefined> {
    return pagedList(this.#ctx, 'versionProfile.list', PATH, VersionProfileSchema, opts);
  }

  /** The profile named exactly `name` (case-insensitive), or undefined. Pages until found. */
  async findByName(name: string, opts?: ZpaListOptions): Promise<VersionProfile | undefined> {
    const wanted = name.trim().toLowerCase();
    for await (const profile of this.list(opts)) {
      if (profile.name.trim().toLowerCase() === wanted) return profile;
    }
    return undefined;
  }
}
