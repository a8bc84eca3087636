/**
 * The shape of every aggregate in src/domain (Emmett's decider): `decide` turns a command into
 * events against the current state, `evolve` folds one event into the state. Both are pure; anything
 * impure a decision needs (time, sealing of sensitive values) arrives in `context`.
 */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

export interface Decider<State, Command, Event extends DomainEvent, Context = void> {
  decide(command: Command, state: State, context: Context): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
  /** `events.reduce(evolve, state)`, for an aggregate whose fold has a faster way to apply many events. */
  evolveAll?(state: State, events: readonly Event[]): State;
}
