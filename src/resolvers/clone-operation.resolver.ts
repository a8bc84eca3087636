/**
 * The fields of a clone operation beyond its read-model row: its organizations and requester
 * (through the per-request loaders), its audit (read model), and the auditors' history, audit as of
 * a version and verification (the clone audit service, from the clone stream). The operation itself
 * was checked visible by the field that returned it.
 */
import 'reflect-metadata';
import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { auditListKey } from '../projections/clones/queries.js';
import type { AdministratorRecord } from '../projections/providers/queries.js';
import {
  CloneAuditAsOfArgs,
  CloneEvent,
  CloneHistoryArgs,
  CloneOperation,
  CloneVerification,
} from '../schema/clone-operation.type.js';
import { CloneItemConnection, CloneItemsArgs } from '../schema/clone-preview.type.js';
import { Organization } from '../schema/organization.type.js';
import { connectionOf, MAX_PAGE_SIZE, readPage } from '../schema/pagination.js';
import { Administrator } from '../schema/provider.type.js';
import { BadUserInputError } from '../server/api-errors.js';
import { cloneEventOf, cloneVerificationOf, itemPage, type CloneOperationView } from './clone.mapping.js';
import type { OrgcloneContext } from './context.js';
import { administratorById, visibleOrganizationById } from './loaders.js';
import { organizationOf } from './organization.mapping.js';

const AUDIT_LIST = 'cloneAudit';
const AUDIT_AS_OF_LIST = 'cloneAuditAsOf';

@Resolver(() => CloneOperation)
export class CloneOperationResolver {
  @FieldResolver(() => Organization, { nullable: true })
  source(@Root() operation: CloneOperationView, @Ctx() ctx: OrgcloneContext): Promise<Organization | null> {
    return visibleOrganization(ctx, operation.sourceOrganizationId);
  }

  @FieldResolver(() => Organization, { nullable: true })
  target(@Root() operation: CloneOperationView, @Ctx() ctx: OrgcloneContext): Promise<Organization | null> {
    return visibleOrganization(ctx, operation.targetOrganizationId);
  }

  @FieldResolver(() => Administrator, { nullable: true })
  requestedBy(
    @Root() operation: CloneOperationView,
    @Ctx() ctx: OrgcloneContext,
  ): Promise<AdministratorRecord | null> {
    return ctx.loaders.get(administratorById).load(operation.requestedById);
  }

  @FieldResolver(() => CloneItemConnection)
  audit(
    @Root() operation: CloneOperationView,
    @Args(() => CloneItemsArgs) args: CloneItemsArgs,
    @Ctx() ctx: OrgcloneContext,
  ) {
    const page = readPage(args, AUDIT_LIST);
    const rows = ctx.services.readModels.clones.auditPage(operation.id, {
      outcome: args.outcome ?? null,
      category: args.category ?? null,
      first: page.limit + 1,
      after: page.afterKey,
    });
    return connectionOf(rows, page, AUDIT_LIST, auditListKey);
  }

  @FieldResolver(() => [CloneEvent])
  async history(
    @Root() operation: CloneOperationView,
    @Args(() => CloneHistoryArgs) { fromVersion, first }: CloneHistoryArgs,
    @Ctx() ctx: OrgcloneContext,
  ): Promise<CloneEvent[]> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
      throw new BadUserInputError('first', `must be between 1 and ${MAX_PAGE_SIZE}`);
    }
    const events = await ctx.services.cloneAudit.history(ctx.principal.providerId, operation.id, {
      fromVersion,
      first,
    });
    return events.map(cloneEventOf);
  }

  @FieldResolver(() => CloneItemConnection)
  async auditAsOf(
    @Root() operation: CloneOperationView,
    @Args(() => CloneAuditAsOfArgs) args: CloneAuditAsOfArgs,
    @Ctx() ctx: OrgcloneContext,
  ) {
    const page = readPage(args, AUDIT_AS_OF_LIST);
    const asOf = await ctx.services.cloneAudit.auditAsOf(
      ctx.principal.providerId,
      operation.id,
      args.version,
    );
    return itemPage(asOf.rows, page, AUDIT_AS_OF_LIST);
  }

  @FieldResolver(() => CloneVerification)
  async verification(
    @Root() operation: CloneOperationView,
    @Ctx() ctx: OrgcloneContext,
  ): Promise<CloneVerification> {
    return cloneVerificationOf(await ctx.services.cloneAudit.verify(ctx.principal.providerId, operation.id));
  }
}

/** Null for an organization the caller may not see (any longer); a discarded one is shown as such. */
async function visibleOrganization(ctx: OrgcloneContext, id: string): Promise<Organization | null> {
  const record = await ctx.loaders.get(visibleOrganizationById).load(id);
  return record && organizationOf(record);
}
