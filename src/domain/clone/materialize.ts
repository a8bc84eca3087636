/**
 * What a clone writes into the new organization's stream `organization-{newId}`: the plan turned
 * into organization events. Pure and deterministic, so that every worker that resumes a clone
 * computes the same events, the same event ids and the same stream revision for every plan item,
 * and can tell how much of the new organization an earlier attempt already wrote.
 *
 * The stream reads: `OrganizationCreated` with `clonedFrom` (JumpCloud's defaults for settings,
 * features and MFA, the organization `provisioning`); then, per plan item in plan order, the events
 * of its copy (none for an item that is excluded or skipped); last, `OrganizationProvisioned`.
 * Folding them gives an organization whose items are exactly the contents of the plan.
 */
import { canonicalJson } from '../../shared/canonical-json.js';
import { deterministicUuid } from '../../shared/ids.js';
import { defaultFeatures, defaultMfa, defaultSettings } from '../organization/defaults.js';
import type { OrganizationEvent, SettingsUpdated } from '../organization/events.js';
import type { Features, MfaConfiguration } from '../organization/model.js';
import type { ClonePlan, PlanItem } from './plan.js';

export interface MaterializationContext {
  /** The source's provider: the new organization belongs to the same one. */
  providerId: string;
  /** ISO-8601 time of the clone request: the new organization's creation time, the same on every resume. */
  created: string;
}

export interface Materialization {
  /** Every event of the new organization's stream, in order: the event at index r has revision r. */
  events: OrganizationEvent[];
  /**
   * `eventsThrough[k]`: how many events make up the new organization once the first k plan items
   * are written (`OrganizationCreated` included). Length: items + 1. `OrganizationProvisioned` is
   * the event at revision `eventsThrough[items]`, the last one.
   */
  eventsThrough: number[];
}

type MfaMethods = Omit<MfaConfiguration, 'duo'>;

/** The running values of the settings that one event carries whole (MFA methods, features). */
interface Accumulated {
  mfa: MfaMethods;
  features: Features;
}

function itemEvents(item: PlanItem, accumulated: Accumulated): OrganizationEvent[] {
  // Excluded and skipped items write nothing (proprietary settings and Duo never have content).
  if (item.content === null) return [];
  switch (item.kind) {
    case 'SETTING':
      // The content's category and values belong together, which the spread of a union loses.
      return [
        {
          type: 'SettingsUpdated',
          data: { category: item.content.category, settings: structuredClone(item.content.values) },
        } as SettingsUpdated,
      ];
    case 'USER_GROUP':
      return [{ type: 'UserGroupAdded', data: { userGroup: item.content } }];
    case 'DEVICE_GROUP':
      return [{ type: 'DeviceGroupAdded', data: { deviceGroup: item.content } }];
    case 'COMMAND':
      return [{ type: 'CommandAdded', data: { command: item.content } }];
    case 'POLICY':
      return [{ type: 'PolicyAdded', data: { policy: item.content } }];
    case 'POLICY_GROUP':
      return [{ type: 'PolicyGroupAdded', data: { policyGroup: item.content } }];
    case 'MFA_METHOD':
      accumulated.mfa = { ...accumulated.mfa, [item.content.method]: structuredClone(item.content.settings) };
      return [{ type: 'MfaConfigured', data: accumulated.mfa }];
    case 'IP_LIST':
      return [{ type: 'IpListAdded', data: { ipList: item.content } }];
    case 'CONDITIONAL_ACCESS_POLICY':
      return [{ type: 'ConditionalAccessPolicyAdded', data: { conditionalAccessPolicy: item.content } }];
    case 'FEATURE':
      accumulated.features = { ...accumulated.features, [item.content.feature]: item.content.enabled };
      return [{ type: 'FeaturesSet', data: { features: accumulated.features } }];
    case 'ADMIN_ACCESS':
      return [{ type: 'AdminAccessGranted', data: { administratorId: item.content.administratorId } }];
  }
}

export function materializeClone(plan: ClonePlan, context: MaterializationContext): Materialization {
  const { duo: _none, ...mfa } = defaultMfa();
  const accumulated: Accumulated = { mfa, features: defaultFeatures() };
  const events: OrganizationEvent[] = [
    {
      type: 'OrganizationCreated',
      data: {
        organizationId: plan.newOrganizationId,
        providerId: context.providerId,
        displayName: plan.name,
        created: context.created,
        settings: defaultSettings(),
        features: defaultFeatures(),
        mfa: defaultMfa(),
        clonedFrom: {
          cloneId: plan.cloneId,
          sourceOrganizationId: plan.sourceOrganizationId,
          sourceVersion: plan.sourceVersion,
        },
      },
    },
  ];
  const eventsThrough = [events.length];
  for (const item of plan.items) {
    events.push(...itemEvents(item, accumulated));
    eventsThrough.push(events.length);
  }
  events.push({
    type: 'OrganizationProvisioned',
    data: { organizationId: plan.newOrganizationId, cloneId: plan.cloneId },
  });
  return { events, eventsThrough };
}

/**
 * Id of the event a clone writes at `revision` of the new organization's stream: the same event at
 * the same place always gets the same id, so an append resent after a crash is a no-op, while
 * anything else at that revision has another id. Two events of one stream may carry equal data
 * (`FeaturesSet` when a copied feature keeps the default), hence the revision.
 */
export function clonedOrganizationEventId(
  cloneId: string,
  revision: number,
  event: OrganizationEvent,
): string {
  return deterministicUuid(
    'cloned-organization-event',
    cloneId,
    String(revision),
    event.type,
    canonicalJson(event.data),
  );
}
