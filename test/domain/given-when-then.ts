/**
 * Given / when / then for any decider of src/domain:
 *
 *   const spec = specFor(decider, context);
 *   spec.given(events).when(command).then(expectedEvents);
 *   spec.given(events).when(command).then({ code: 'VALIDATION_FAILED', field: 'values[2].value' });
 *
 * `given` folds the events with `evolve`; `when` runs `decide`. Emitted events must survive a JSON
 * round trip unchanged (event payloads are JSON). `events()` and `state()` hand the outcome to
 * assertions the two forms of `then` cannot express.
 */
import { expect } from 'vitest';
import type { Decider, DomainEvent } from '../../src/domain/decider.js';
import { DomainError } from '../../src/domain/errors.js';

export interface ExpectedRejection {
  code: string;
  field?: string;
  reason?: string;
}

export interface When<State, Event> {
  then(expected: Event[] | ExpectedRejection): void;
  events(): Event[];
  /** The state after the emitted events. */
  state(): State;
}

export interface Spec<State, Command, Event> {
  given(events: Event[]): { when(command: Command): When<State, Event>; state(): State };
}

export function specFor<State, Command, Event extends DomainEvent, Context>(
  decider: Decider<State, Command, Event, Context>,
  context: Context,
): Spec<State, Command, Event> {
  return {
    given(history) {
      const before = history.reduce(decider.evolve, decider.initialState());
      return {
        state: () => before,
        when(command) {
          const events = (): Event[] => {
            const emitted = decider.decide(command, before, context);
            expect(JSON.parse(JSON.stringify(emitted))).toStrictEqual(emitted);
            return emitted;
          };
          return {
            events,
            state: () => events().reduce(decider.evolve, before),
            then(expected) {
              if (Array.isArray(expected)) {
                expect(events()).toStrictEqual(expected);
                return;
              }
              expect(() => decider.decide(command, before, context)).toThrow(DomainError);
              try {
                decider.decide(command, before, context);
              } catch (error) {
                const { code, field, reason } = error as DomainError & { reason?: string };
                expect({ code, field, reason }).toMatchObject(expected);
              }
            },
          };
        },
      };
    },
  };
}
