/**
 * Folded aggregates of recently used streams, kept per process so that a big organization is not
 * re-read and re-folded from its first event on every preview, clone and configuration change.
 * Streams are append-only, so a state folded up to revision r stays true for r forever: a later
 * load reads only the events after r and folds them onto it. Deciders never mutate a state they
 * are given (`evolve` returns a new one; `evolveAll` copies what it changes), so one cached state
 * may be shared. Least recently used entries go first; the bound is in streams, not bytes.
 */
export interface CachedAggregate<State> {
  state: State;
  revision: bigint;
}

export class AggregateCache<State> {
  private readonly entries = new Map<string, CachedAggregate<State>>();

  constructor(private readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
    }
  }

  get(streamId: string): CachedAggregate<State> | undefined {
    const entry = this.entries.get(streamId);
    if (entry) {
      this.entries.delete(streamId);
      this.entries.set(streamId, entry);
    }
    return entry;
  }

  /** Keeps the state unless a later one of the same stream is already kept. */
  remember(streamId: string, state: State, revision: bigint): void {
    const known = this.entries.get(streamId);
    if (known && known.revision > revision) return;
    this.entries.delete(streamId);
    this.entries.set(streamId, { state, revision });
    while (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value!);
    }
  }
}
