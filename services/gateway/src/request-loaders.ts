import type { ClubRegistryService } from '@clubland/contract/member/v1';
import type { Client } from '@connectrpc/connect';
import type DataLoader from 'dataloader';
import type { ClubCache } from './club-cache.ts';
import { type ClubModel, createClubLoader } from './resolvers/clubs.ts';

/** One request's DataLoaders: a list of N items costs one call per loader, not N. */
export interface RequestLoaders {
  readonly clubs: DataLoader<string, ClubModel | null>;
  /** One club: from the gateway's shared club cache at once when it holds it (no batch, no
   *  promise), else through `clubs`. */
  club(id: string): ClubModel | Promise<ClubModel | null>;
}

interface LoaderSources {
  clients: { clubRegistry: Client<typeof ClubRegistryService> };
  /** False for a WebSocket connection: it lives long, so its loaders batch but do not cache. */
  cache: boolean;
  clubs?: ClubCache;
}

/**
 * Built per request (a loader caches what it loaded and must not outlive the request), each loader
 * on first use. A class because every request makes one: its getter sits on the prototype rather
 * than being built into each object.
 */
class LazyRequestLoaders implements RequestLoaders {
  readonly #sources: LoaderSources;
  #clubs: DataLoader<string, ClubModel | null> | undefined;

  constructor(sources: LoaderSources) {
    this.#sources = sources;
  }

  get clubs(): DataLoader<string, ClubModel | null> {
    this.#clubs ??= createClubLoader(this.#sources.clients.clubRegistry, {
      cache: this.#sources.cache,
      shared: this.#sources.clubs,
    });
    return this.#clubs;
  }

  club(id: string): ClubModel | Promise<ClubModel | null> {
    return this.#sources.clubs?.get(id) ?? this.clubs.load(id);
  }
}

export function createRequestLoaders(
  clients: LoaderSources['clients'],
  options: { cache?: boolean; clubs?: ClubCache } = {},
): RequestLoaders {
  return new LazyRequestLoaders({ clients, cache: options.cache ?? true, clubs: options.clubs });
}
