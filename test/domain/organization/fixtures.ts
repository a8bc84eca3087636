/**
 * Building blocks for organization decider tests: a recording sealer (deterministic tokens, and the
 * plain values it was given) and `history`, which turns commands into the events they decide so that
 * `given` can start from a realistic organization.
 */
import type { JsonValue } from '../../../src/eventstore/types.js';
import type { OrganizationCommand } from '../../../src/domain/organization/commands.js';
import type { OrganizationDecisionContext } from '../../../src/domain/organization/context.js';
import { decide, evolve, initialState } from '../../../src/domain/organization/decider.js';
import type { OrganizationEvent } from '../../../src/domain/organization/events.js';
import type { SealedValue } from '../../../src/domain/organization/model.js';
import type { OrganizationState } from '../../../src/domain/organization/state.js';

export interface RecordingSealer extends OrganizationDecisionContext {
  sealedPlainValues: JsonValue[];
}

/** Seals to `sealed#1`, `sealed#2`… and remembers each plain value, in order. */
export function recordingSealer(): RecordingSealer {
  const sealedPlainValues: JsonValue[] = [];
  return {
    sealedPlainValues,
    seal(plain: JsonValue): SealedValue {
      sealedPlainValues.push(plain);
      return { sealed: `sealed#${sealedPlainValues.length}` };
    },
  };
}

export const ORG_ID = 'org-acme';
export const PROVIDER_ID = 'provider-msp';
export const CREATED = '2024-05-01T09:30:00.000Z';

export const createOrganization: OrganizationCommand = {
  type: 'CreateOrganization',
  data: { organizationId: ORG_ID, providerId: PROVIDER_ID, displayName: 'Acme', created: CREATED },
};

/** The events the commands decide, one after the other, starting from a new organization. */
export function history(
  commands: OrganizationCommand[],
  context: OrganizationDecisionContext = recordingSealer(),
): OrganizationEvent[] {
  const events: OrganizationEvent[] = [];
  let state: OrganizationState = initialState();
  for (const command of [createOrganization, ...commands]) {
    const decided = decide(command, state, context);
    state = decided.reduce(evolve, state);
    events.push(...decided);
  }
  return events;
}

export function stateOf(events: OrganizationEvent[]): OrganizationState {
  return events.reduce(evolve, initialState());
}

/** JumpCloud-style 24-hex ids, distinct per `n`. */
export function objectId(n: number): string {
  return n.toString(16).padStart(24, '0').replace(/^0/, 'a');
}

// ---- ready-made commands --------------------------------------------------------------------------

export const addUser = (userId: string, username = userId): OrganizationCommand => ({
  type: 'AddUser',
  data: { userId, username, email: `${username}@acme.example` },
});

export const addDevice = (deviceId: string): OrganizationCommand => ({
  type: 'AddDevice',
  data: { deviceId, hostname: `${deviceId}.acme.example`, os: 'Ubuntu' },
});

export const addUserGroup = (userGroupId: string, name = userGroupId): OrganizationCommand => ({
  type: 'AddUserGroup',
  data: { userGroupId, name },
});

export const addDeviceGroup = (deviceGroupId: string, name = deviceGroupId): OrganizationCommand => ({
  type: 'AddDeviceGroup',
  data: { deviceGroupId, name },
});

export const addIpList = (ipListId: string, ips = ['203.0.113.0/24']): OrganizationCommand => ({
  type: 'AddIpList',
  data: { ipListId, name: ipListId, ips },
});

export const addRootCommand = (commandId: string): OrganizationCommand => ({
  type: 'AddCommand',
  data: {
    commandId,
    name: commandId,
    command: 'apt-get update',
    commandType: 'linux',
    user: '000000000000000000000000',
  },
});
