/** Inputs of the command mutations (JumpCloud `/api/commands`). */
import 'reflect-metadata';
import { Field, InputType, Int } from 'type-graphql';
import type { CommandType, LaunchType } from '../domain/organization/model.js';
import { CommandTypeEnum, LaunchTypeEnum } from './enums.js';
import {
  MAX_ID_LENGTH,
  MAX_LIST_LENGTH,
  MAX_NAME_LENGTH,
  MAX_SCRIPT_LENGTH,
  MAX_TEXT_LENGTH,
} from './input-bounds.js';
import { IdField, IdListField, StringField, StringListField } from './input-fields.js';
import { OrganizationScopedInput } from './organization.input.js';

const USER_DESCRIPTION =
  'Run-as user id: `000000000000000000000000` is root; required for Linux and macOS, absent for Windows.';

@InputType({ description: 'A new command.' })
export class AddCommandInput extends OrganizationScopedInput {
  @StringField('Name, unique in the organization.', MAX_NAME_LENGTH)
  name!: string;

  @StringField('The script body.', MAX_SCRIPT_LENGTH)
  command!: string;

  @Field(() => CommandTypeEnum, { description: 'Operating system the command runs on.' })
  commandType!: CommandType;

  @IdField(USER_DESCRIPTION, { optional: true })
  user?: string;

  @Field(() => Boolean, { nullable: true, description: 'Run with sudo; default false.' })
  sudo?: boolean;

  @StringField('Shell (e.g. `/bin/bash`, `powershell`); default per command type.', MAX_NAME_LENGTH, {
    optional: true,
  })
  shell?: string;

  @Field(() => LaunchTypeEnum, { nullable: true, description: 'How the command starts; default `MANUAL`.' })
  launchType?: LaunchType;

  @StringField('Schedule of a repeated or one-time command.', MAX_NAME_LENGTH, { optional: true })
  schedule?: string;

  @StringField("JumpCloud's `scheduleRepeatType`.", MAX_NAME_LENGTH, { optional: true })
  scheduleRepeatType?: string;

  @Field(() => Int, { nullable: true, description: 'Seconds before the command is stopped, at most 86400.' })
  timeout?: number;

  @StringField('Webhook trigger name of a triggered command.', MAX_NAME_LENGTH, { optional: true })
  trigger?: string;

  @StringListField(
    'Ids of uploaded files.',
    { maxItems: MAX_LIST_LENGTH, maxLength: MAX_ID_LENGTH },
    {
      optional: true,
    },
  )
  files?: string[];

  @StringField('Free text.', MAX_TEXT_LENGTH, { optional: true })
  description?: string;

  @IdListField('Device groups to bind the command to.', { optional: true })
  deviceGroupIds?: string[];
}

@InputType({
  description:
    "Changes to a command's own fields; fields not given stay. Bindings change with `bindDeviceGroupToCommand`.",
})
export class UpdateCommandInput extends OrganizationScopedInput {
  @IdField('The command.')
  commandId!: string;

  @StringField('Name, unique in the organization.', MAX_NAME_LENGTH, { optional: true })
  name?: string;

  @StringField('The script body.', MAX_SCRIPT_LENGTH, { optional: true })
  command?: string;

  @Field(() => CommandTypeEnum, { nullable: true, description: 'Operating system the command runs on.' })
  commandType?: CommandType;

  @IdField(USER_DESCRIPTION, { optional: true })
  user?: string;

  @Field(() => Boolean, { nullable: true, description: 'Run with sudo.' })
  sudo?: boolean;

  @StringField('Shell.', MAX_NAME_LENGTH, { optional: true })
  shell?: string;

  @Field(() => LaunchTypeEnum, { nullable: true, description: 'How the command starts.' })
  launchType?: LaunchType;

  @StringField('Schedule of a repeated or one-time command.', MAX_NAME_LENGTH, { optional: true })
  schedule?: string;

  @StringField("JumpCloud's `scheduleRepeatType`.", MAX_NAME_LENGTH, { optional: true })
  scheduleRepeatType?: string;

  @Field(() => Int, { nullable: true, description: 'Seconds before the command is stopped, at most 86400.' })
  timeout?: number;

  @StringField('Webhook trigger name.', MAX_NAME_LENGTH, { optional: true })
  trigger?: string;

  @StringListField(
    'Ids of uploaded files.',
    { maxItems: MAX_LIST_LENGTH, maxLength: MAX_ID_LENGTH },
    {
      optional: true,
    },
  )
  files?: string[];

  @StringField('Free text.', MAX_TEXT_LENGTH, { optional: true })
  description?: string;
}

@InputType({ description: 'A command to remove (it is unbound from its device groups first).' })
export class RemoveCommandInput extends OrganizationScopedInput {
  @IdField('The command.')
  commandId!: string;
}
