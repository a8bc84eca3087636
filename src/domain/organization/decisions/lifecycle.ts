import { ConflictError, ValidationError } from '../../errors.js';
import type { CreateOrganization, DiscardOrganization } from '../commands.js';
import { defaultFeatures, defaultMfa, defaultSettings } from '../defaults.js';
import type { OrganizationEvent } from '../events.js';
import type { ClonedFrom, OrganizationState } from '../state.js';
import {
  fieldPath,
  rejectUnknownKeys,
  requireId,
  requireIsoDateTime,
  requireObject,
  requireText,
} from '../validation/primitives.js';

export const MAX_DISPLAY_NAME_LENGTH = 100;
const REVISION_PATTERN = /^(0|[1-9][0-9]{0,19})$/;

export function createOrganization(
  { data }: CreateOrganization,
  state: OrganizationState,
): OrganizationEvent[] {
  if (state.status !== 'absent') {
    throw new ConflictError('ALREADY_EXISTS', `organization ${state.id} already exists`, 'organizationId');
  }
  const organizationId = requireId(data.organizationId, 'organizationId');
  return [
    {
      type: 'OrganizationCreated',
      data: {
        organizationId,
        providerId: requireId(data.providerId, 'providerId'),
        displayName: requireText(data.displayName, 'displayName', { min: 1, max: MAX_DISPLAY_NAME_LENGTH }),
        created: requireIsoDateTime(data.created, 'created'),
        settings: defaultSettings(),
        features: defaultFeatures(),
        mfa: defaultMfa(),
        ...(data.clonedFrom === undefined ? {} : { clonedFrom: clonedFrom(data.clonedFrom, organizationId) }),
      },
    },
  ];
}

function clonedFrom(value: unknown, organizationId: string): ClonedFrom {
  const lineage = requireObject(value, 'clonedFrom');
  rejectUnknownKeys(lineage, ['cloneId', 'sourceOrganizationId', 'sourceVersion'], 'clonedFrom');
  const sourceOrganizationId = requireId(lineage.sourceOrganizationId, 'clonedFrom.sourceOrganizationId');
  if (sourceOrganizationId === organizationId) {
    throw new ValidationError('clonedFrom.sourceOrganizationId', 'must differ from the new organization');
  }
  const versionPath = fieldPath('clonedFrom', 'sourceVersion');
  if (typeof lineage.sourceVersion !== 'string' || !REVISION_PATTERN.test(lineage.sourceVersion)) {
    throw new ValidationError(versionPath, 'must be a stream revision as a decimal string');
  }
  return {
    cloneId: requireId(lineage.cloneId, 'clonedFrom.cloneId'),
    sourceOrganizationId,
    sourceVersion: lineage.sourceVersion,
  };
}

/** Discarding an organization twice decides nothing: a retried discard succeeds. */
export function discardOrganization(
  _command: DiscardOrganization,
  state: OrganizationState,
): OrganizationEvent[] {
  if (state.status === 'discarded') return [];
  return [{ type: 'OrganizationDiscarded', data: { organizationId: state.id } }];
}
