/** Inputs of the user and device mutations: minimal, only so that groups have members. Never cloned. */
import 'reflect-metadata';
import { InputType } from 'type-graphql';
import { MAX_NAME_LENGTH } from './input-bounds.js';
import { IdField, StringField } from './input-fields.js';
import { OrganizationScopedInput } from './organization.input.js';

@InputType({ description: 'A new user.' })
export class AddUserInput extends OrganizationScopedInput {
  @StringField('Username, unique in the organization (case-insensitive).', MAX_NAME_LENGTH)
  username!: string;

  @StringField('Email address, unique in the organization (case-insensitive).', MAX_NAME_LENGTH)
  email!: string;
}

@InputType({ description: 'Changes to a user; fields not given stay.' })
export class UpdateUserInput extends OrganizationScopedInput {
  @IdField('The user.')
  userId!: string;

  @StringField('Username.', MAX_NAME_LENGTH, { optional: true })
  username?: string;

  @StringField('Email address.', MAX_NAME_LENGTH, { optional: true })
  email?: string;
}

@InputType({
  description:
    'A user to remove (it leaves its groups first; refused while a conditional access policy targets it).',
})
export class RemoveUserInput extends OrganizationScopedInput {
  @IdField('The user.')
  userId!: string;
}

@InputType({ description: 'A new device.' })
export class AddDeviceInput extends OrganizationScopedInput {
  @StringField('Host name.', MAX_NAME_LENGTH)
  hostname!: string;

  @StringField('Operating system, e.g. `Mac OS X 14.4`.', MAX_NAME_LENGTH)
  os!: string;
}

@InputType({ description: 'Changes to a device; fields not given stay.' })
export class UpdateDeviceInput extends OrganizationScopedInput {
  @IdField('The device.')
  deviceId!: string;

  @StringField('Host name.', MAX_NAME_LENGTH, { optional: true })
  hostname?: string;

  @StringField('Operating system.', MAX_NAME_LENGTH, { optional: true })
  os?: string;
}

@InputType({ description: 'A device to remove (it leaves its groups first).' })
export class RemoveDeviceInput extends OrganizationScopedInput {
  @IdField('The device.')
  deviceId!: string;
}
