/** The policy template catalogue (JumpCloud's `/api/v2/policytemplates` shape). */
import 'reflect-metadata';
import { Field, Float, ID, ObjectType } from 'type-graphql';
import type { DisplayType, OsMetaFamily } from '../domain/organization/model.js';
import type { JsonValue } from '../eventstore/types.js';
import { DisplayTypeEnum, OsMetaFamilyEnum } from './enums.js';
import { JSONValue } from './scalars.js';

@ObjectType({ description: 'How the portal offers the values of a field.' })
export class ConfigFieldDisplayOptions {
  @Field(() => [String], {
    nullable: true,
    description: 'Choices of a `SELECT`, `RADIO`, `SEGMENTEDBUTTON` or `MULTILIST` field.',
  })
  values!: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Columns of a `TABLE` field.' })
  columns!: string[] | null;

  @Field(() => Float, { nullable: true, description: 'Smallest value of a `NUMBER` field.' })
  min!: number | null;

  @Field(() => Float, { nullable: true, description: 'Largest value of a `NUMBER` field.' })
  max!: number | null;
}

@ObjectType({ description: 'A field of a policy template (`configFields[]`).' })
export class PolicyTemplateConfigField {
  @Field(() => ID, { description: 'Field id: what `PolicyValue.configFieldID` refers to.' })
  id!: string;

  @Field(() => String, { description: 'Machine name, e.g. `LoginwindowText`.' })
  name!: string;

  @Field(() => String, { description: 'Label shown in the portal.' })
  label!: string;

  @Field(() => DisplayTypeEnum, { description: 'How the portal edits the value.' })
  displayType!: DisplayType;

  @Field(() => Boolean, { description: 'A policy must give a value.' })
  required!: boolean;

  @Field(() => Boolean, {
    description:
      'Values are secret: never returned, never cloned. `TEXT`, `TEXTAREA` and `FILE` fields are treated as sensitive too.',
  })
  sensitive!: boolean;

  @Field(() => JSONValue, { nullable: true, description: 'Value a new policy starts with.' })
  defaultValue!: JsonValue;

  @Field(() => ConfigFieldDisplayOptions, {
    nullable: true,
    description: 'Choices, columns or bounds; null if none.',
  })
  displayOptions!: ConfigFieldDisplayOptions | null;
}

@ObjectType({ description: 'A policy template: what a policy configures and which values it takes.' })
export class PolicyTemplate {
  @Field(() => ID, { description: 'Stable id: policies and clone audits refer to it.' })
  id!: string;

  @Field(() => String, { description: 'Machine name, e.g. `login_window_text_darwin`.' })
  name!: string;

  @Field(() => String, { description: 'Name shown in the portal.' })
  displayName!: string;

  @Field(() => String, { description: 'What the template does.' })
  description!: string;

  @Field(() => OsMetaFamilyEnum, { description: 'Platform it applies to.' })
  osMetaFamily!: OsMetaFamily;

  @Field(() => [PolicyTemplateConfigField], { description: 'Its fields, in portal order.' })
  configFields!: PolicyTemplateConfigField[];
}
