/**
 * Organization names are unique per provider, case-insensitively, among organizations not discarded
 * (SPEC §1) — across processes too. A read model cannot promise that (two processes may both see a
 * name free), so each (provider, normalized name) has its own small stream that names the
 * organization holding it; claiming the name is an append with the exact revision that was read,
 * so of two concurrent claims exactly one wins and the other gets CONFLICT `NAME_TAKEN`.
 */
import { createHash } from 'node:crypto';
import type { Decider } from '../domain/decider.js';
import { ConflictError } from '../domain/errors.js';
import { normalizeOrganizationName } from '../domain/organization/naming.js';
import { StreamNotFoundError } from '../eventstore/errors.js';
import type { EventStore } from '../eventstore/types.js';
import type { CommandMetadata } from './command-handler.js';
import { handleCommand, loadAggregate } from './command-handler.js';
import { organizationStreamId } from './streams.js';

export const NAME_RESERVATION_STREAM_PREFIX = 'orgname-';

export type NameReservationEvent =
  | { type: 'OrganizationNameReserved'; data: { organizationId: string } }
  | { type: 'OrganizationNameReleased'; data: { organizationId: string } };

type NameReservationCommand =
  /** `replacing`: a holder known to be discarded, whose claim is released in the same append. */
  | {
      type: 'ReserveOrganizationName';
      data: { organizationId: string; displayName: string; replacing?: string };
    }
  | { type: 'ReleaseOrganizationName'; data: { organizationId: string } };

interface NameReservationState {
  /** The organization holding the name, or null when it is free. */
  holder: string | null;
}

const nameReservationDecider: Decider<NameReservationState, NameReservationCommand, NameReservationEvent> = {
  initialState: () => ({ holder: null }),
  decide(command, { holder }) {
    const { organizationId } = command.data;
    if (command.type === 'ReleaseOrganizationName') {
      return holder === organizationId
        ? [{ type: 'OrganizationNameReleased', data: { organizationId } }]
        : [];
    }
    if (holder === organizationId) return [];
    const reserved: NameReservationEvent = { type: 'OrganizationNameReserved', data: { organizationId } };
    if (holder === null) return [reserved];
    if (holder === command.data.replacing) {
      return [{ type: 'OrganizationNameReleased', data: { organizationId: holder } }, reserved];
    }
    throw new ConflictError(
      'NAME_TAKEN',
      `an organization named "${command.data.displayName}" already exists`,
      'displayName',
    );
  },
  evolve(_state, event) {
    return { holder: event.type === 'OrganizationNameReserved' ? event.data.organizationId : null };
  },
};

/** `orgname-{providerId}-{first 32 hex of sha256(normalized name)}`: bounded, whatever the name. */
export function nameReservationStreamId(providerId: string, displayName: string): string {
  const digest = createHash('sha256').update(normalizeOrganizationName(displayName), 'utf8').digest('hex');
  return `${NAME_RESERVATION_STREAM_PREFIX}${providerId}-${digest.slice(0, 32)}`;
}

export interface OrganizationName {
  providerId: string;
  displayName: string;
  organizationId: string;
}

export class NameReservations {
  constructor(private readonly options: { store: EventStore; now: () => Date }) {}

  /**
   * Claims the name for the organization (a no-op when it already holds it). Throws CONFLICT
   * `NAME_TAKEN` when another organization holds it — unless that organization is discarded: its
   * claim is then left over from a discard whose release never happened, and is taken over.
   */
  async reserve(name: OrganizationName, metadata: CommandMetadata): Promise<void> {
    const streamId = nameReservationStreamId(name.providerId, name.displayName);
    const { state } = await loadAggregate(this.options.store, streamId, nameReservationDecider);
    const replacing =
      state.holder !== null && state.holder !== name.organizationId && (await this.isDiscarded(state.holder))
        ? state.holder
        : undefined;
    await this.run(
      streamId,
      {
        type: 'ReserveOrganizationName',
        data: {
          organizationId: name.organizationId,
          displayName: name.displayName,
          ...(replacing === undefined ? {} : { replacing }),
        },
      },
      metadata,
    );
  }

  /** Frees the name if this organization holds it (after a discard, a rename, a failed create). */
  async release(name: OrganizationName, metadata: CommandMetadata): Promise<void> {
    const streamId = nameReservationStreamId(name.providerId, name.displayName);
    await this.run(
      streamId,
      { type: 'ReleaseOrganizationName', data: { organizationId: name.organizationId } },
      metadata,
    );
  }

  /** The organization holding the name, or null. */
  async holderOf(providerId: string, displayName: string): Promise<string | null> {
    const streamId = nameReservationStreamId(providerId, displayName);
    return (await loadAggregate(this.options.store, streamId, nameReservationDecider)).state.holder;
  }

  private async run(
    streamId: string,
    command: NameReservationCommand,
    metadata: CommandMetadata,
  ): Promise<void> {
    await handleCommand({
      store: this.options.store,
      streamId,
      decider: nameReservationDecider,
      command,
      context: undefined,
      metadata,
      now: this.options.now,
    });
  }

  /** Nothing follows `OrganizationDiscarded` in an organization's stream, so its last event tells. */
  private async isDiscarded(organizationId: string): Promise<boolean> {
    try {
      for await (const event of this.options.store.readStream(organizationStreamId(organizationId), {
        direction: 'backwards',
        maxCount: 1,
      })) {
        return event.type === 'OrganizationDiscarded';
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return false;
  }
}
