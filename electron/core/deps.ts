// What a use-case may need of the core, each a narrow capability; a module names the ones it uses (cases.ts:
// the store, the vault, routing, matching and the event channel), never the whole core. Core has them all.
import type { Store } from '../store/store.ts';
import type { Vault } from '../vault/vault.ts';
import type { MatchIndex } from '../matching/match-index.ts';
import type { SearchIndex } from '../search/index.ts';
import type { MiFactsIndex } from '../mi/facts-index.ts';
import type { RoutingTable } from '../../shared/domain/routing.ts';
import type { CoreEvent } from '../../shared/api/events.ts';

export interface HasStore {
  readonly store: Store;
}
export interface HasVault {
  readonly vault: Vault;
}
export interface HasMatching {
  readonly matching: MatchIndex;
}
export interface HasSearch {
  readonly search: SearchIndex;
}
export interface HasMi {
  readonly mi: MiFactsIndex;
}
/** Tells the screens that something changed (core/core.ts fans it out to every listener). */
export interface Emits {
  emit(event: CoreEvent): void;
}
export interface Routes {
  routingTable(): RoutingTable;
}
export interface RoutingAdmin extends Routes {
  invalidateRouting(): void;
}
