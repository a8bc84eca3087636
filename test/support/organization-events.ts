/**
 * Seeding an event store directly, without vitest (the benchmarks use it too): the events that fold
 * into a given organization, and appends in chunks that any adapter accepts.
 */
import { randomUUID } from 'node:crypto';
import type { OrganizationEvent } from '../../src/domain/organization/events.js';
import type { OrganizationState } from '../../src/domain/organization/state.js';
import type { EventStore, JsonValue } from '../../src/eventstore/types.js';

/** Most events per seeding append: far below EventStoreDB's 1 MiB cap, whatever the source's size. */
const SEED_CHUNK_SIZE = 500;

/** Appends the events to the stream, `SEED_CHUNK_SIZE` per append; returns the last one's position. */
export async function appendAll(
  store: EventStore,
  streamId: string,
  events: readonly { type: string; data: unknown }[],
): Promise<bigint> {
  let position = 0n;
  for (let start = 0; start < events.length; start += SEED_CHUNK_SIZE) {
    ({ position } = await store.appendToStream(
      streamId,
      events.slice(start, start + SEED_CHUNK_SIZE).map((event) => ({
        id: randomUUID(),
        type: event.type,
        data: event.data as JsonValue,
        metadata: {
          correlationId: 'seed',
          causationId: 'seed',
          actor: 'seed',
          recordedAt: new Date().toISOString(),
        },
      })),
    ));
  }
  return position;
}

/** Events that fold into exactly this organization (a source as the clone tests build it). */
export function eventsOf(source: OrganizationState): OrganizationEvent[] {
  const events: OrganizationEvent[] = [
    {
      type: 'OrganizationCreated',
      data: {
        organizationId: source.id,
        providerId: source.providerId,
        displayName: source.displayName,
        created: source.created,
        settings: source.settings,
        features: source.features,
        mfa: source.mfa,
      },
    },
  ];
  if (Object.keys(source.proprietary).length > 0) {
    events.push({ type: 'ProprietarySettingsUpdated', data: { settings: source.proprietary } });
  }
  for (const user of Object.values(source.users)) events.push({ type: 'UserAdded', data: { user } });
  for (const device of Object.values(source.devices)) events.push({ type: 'DeviceAdded', data: { device } });
  for (const userGroup of Object.values(source.userGroups))
    events.push({ type: 'UserGroupAdded', data: { userGroup } });
  for (const deviceGroup of Object.values(source.deviceGroups)) {
    events.push({ type: 'DeviceGroupAdded', data: { deviceGroup } });
  }
  for (const command of Object.values(source.commands))
    events.push({ type: 'CommandAdded', data: { command } });
  for (const policy of Object.values(source.policies)) events.push({ type: 'PolicyAdded', data: { policy } });
  for (const policyGroup of Object.values(source.policyGroups)) {
    events.push({ type: 'PolicyGroupAdded', data: { policyGroup } });
  }
  for (const ipList of Object.values(source.ipLists)) events.push({ type: 'IpListAdded', data: { ipList } });
  for (const conditionalAccessPolicy of Object.values(source.conditionalAccessPolicies)) {
    events.push({ type: 'ConditionalAccessPolicyAdded', data: { conditionalAccessPolicy } });
  }
  for (const administratorId of source.adminIds) {
    events.push({ type: 'AdminAccessGranted', data: { administratorId } });
  }
  return events;
}
