/** The provider (MSP), its administrators, and the caller (`me`). */
import 'reflect-metadata';
import { Field, ID, ObjectType } from 'type-graphql';
import type { AdminRole, BillingPlan, OrgAccess } from '../domain/organization/model.js';
import { AdministratorRoleEnum, BillingPlanEnum, OrgAccessEnum } from './enums.js';

@ObjectType({ description: "The provider's billing." })
export class Billing {
  @Field(() => BillingPlanEnum, { description: 'Cloning and discarding need `PAID`.' })
  plan!: BillingPlan;
}

@ObjectType({ description: 'The Managed Service Provider: owner of organizations and administrators.' })
export class Provider {
  @Field(() => ID, { description: 'Opaque id.' })
  id!: string;

  @Field(() => String, { description: 'Name of the provider.' })
  name!: string;

  @Field(() => Billing, { description: 'Billing plan.' })
  billing!: Billing;

  @Field(() => Boolean, { description: 'No organization can be created (nor cloned) while true.' })
  orgCreationDisabled!: boolean;
}

@ObjectType({ description: 'An administrator of the provider (JumpCloud provider administrator).' })
export class Administrator {
  @Field(() => ID, { description: 'Opaque id.' })
  id!: string;

  @Field(() => String, { description: 'Email address, unique within the provider.' })
  email!: string;

  @Field(() => String, { description: 'First name.' })
  firstname!: string;

  @Field(() => String, { description: 'Last name.' })
  lastname!: string;

  @Field(() => AdministratorRoleEnum, { description: 'Role: what the administrator may do.' })
  roleName!: AdminRole;

  @Field(() => OrgAccessEnum, { description: 'Whether it sees all organizations or only linked ones.' })
  orgAccess!: OrgAccess;

  @Field(() => [ID], { description: 'Organizations linked to a `LINKED` administrator; empty for `ALL`.' })
  linkedOrganizationIds!: string[];

  @Field(() => Boolean, { description: 'A suspended administrator cannot sign in.' })
  suspended!: boolean;
}

@ObjectType({ description: 'The calling administrator and its provider.' })
export class Me {
  @Field(() => Administrator, { description: 'The administrator the API key belongs to.' })
  administrator!: Administrator;

  @Field(() => Provider, { description: 'Its provider.' })
  provider!: Provider;
}
