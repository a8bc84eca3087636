import { describe, expect, it } from 'vitest';
import type { OrganizationEvent } from '../../../src/domain/organization/events.js';
import { evolve, evolveAll, initialState } from '../../../src/domain/organization/evolve.js';
import { largeSource } from '../../support/clone-large-source.js';
import { eventsOf } from '../../support/organization-events.js';

/** A history that adds, changes, links and removes items of every collection, in that order. */
function history(): OrganizationEvent[] {
  const source = largeSource(80);
  const added = eventsOf(source);
  const [command, otherCommand] = Object.values(source.commands);
  const [policy] = Object.values(source.policies);
  const [userGroup] = Object.values(source.userGroups);
  const [user] = Object.values(source.users);
  const [ipList] = Object.values(source.ipLists);
  return [
    ...added,
    { type: 'CommandUpdated', data: { command: { ...command!, name: 'Renamed' } } },
    { type: 'PolicyUpdated', data: { policy: { ...policy!, notes: 'changed' } } },
    { type: 'UserRemovedFromUserGroup', data: { userGroupId: userGroup!.id, userId: user!.id } },
    { type: 'UserAddedToUserGroup', data: { userGroupId: userGroup!.id, userId: user!.id } },
    { type: 'CommandRemoved', data: { commandId: otherCommand!.id } },
    { type: 'IpListRemoved', data: { ipListId: ipList!.id } },
    { type: 'CommandAdded', data: { command: { ...otherCommand!, id: '__proto__' } } },
    { type: 'CommandAdded', data: { command: otherCommand! } },
  ];
}

describe('folding many organization events at once', () => {
  it('gives the state that folding them one by one gives', () => {
    // Given a history that changes every kind of collection
    const events = history();

    // When it is folded at once
    const folded = evolveAll(initialState(), events);

    // Then the state is the one-by-one fold's, keys in the same order, `__proto__` an own key
    const expected = events.reduce(evolve, initialState());
    expect(folded).toStrictEqual(expected);
    expect(Object.keys(folded.commands)).toEqual(Object.keys(expected.commands));
    expect(Object.hasOwn(folded.commands, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(folded.commands)).toBe(Object.prototype);
  });

  it('leaves the state it starts from, and every earlier state, as they were', () => {
    // Given a state folded from the first half of a history, and a deep copy of it
    const events = history();
    const half = Math.floor(events.length / 2);
    const start = evolveAll(initialState(), events.slice(0, half));
    const before = structuredClone(start);

    // When the rest is folded onto it, and then a further event onto the result
    const end = evolveAll(start, events.slice(half));
    const [command] = Object.values(end.commands);
    const later = evolve(end, { type: 'CommandRemoved', data: { commandId: command!.id } });

    // Then the starting state is unchanged, and so is the result the last event was folded onto
    expect(start).toStrictEqual(before);
    expect(end.commands[command!.id]).toBeDefined();
    expect(later.commands[command!.id]).toBeUndefined();
  });
});
