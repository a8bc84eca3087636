/** Commands (JumpCloud `/api/commands`): scripts run on devices of the bound device groups. */
import { ValidationError } from '../../errors.js';
import type { AddCommand, CommandFields, RemoveCommand, UpdateCommand } from '../commands.js';
import type { OrganizationEvent } from '../events.js';
import { COMMAND_TYPES, LAUNCH_TYPES } from '../model.js';
import type { Command } from '../model.js';
import type { OrganizationState } from '../state.js';
import {
  requireBoolean,
  requireIdList,
  requireInteger,
  requireObjectId,
  requireOneOf,
  requireRawString,
  requireText,
} from '../validation/primitives.js';
import {
  definedChanges,
  existingItem,
  keysOf,
  lineage,
  requireExistingIds,
  requireNewId,
} from './references.js';
import { jsonEqual, rejectUnknownKeys } from '../validation/primitives.js';

/** JumpCloud's limit on how long a command may run. */
export const MAX_COMMAND_TIMEOUT_SECONDS = 86_400;
const DEFAULT_TIMEOUT_SECONDS = 120;
const MAX_NAME_LENGTH = 255;
const MAX_SCRIPT_LENGTH = 100_000;
const MAX_DESCRIPTION_LENGTH = 4_096;
const MAX_SCHEDULE_LENGTH = 255;
const MAX_FILES = 100;
const WINDOWS_SHELLS = ['powershell', 'cmd'] as const;
const UNIX_SHELL_PATTERN = /^\/[A-Za-z0-9._/-]{1,100}$/;
const TRIGGER_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

type CommandBody = Omit<Command, 'id' | 'deviceGroupIds' | 'clonedFromId'>;

const COMMAND_FIELD_KEYS = keysOf<CommandFields>({
  name: true,
  command: true,
  commandType: true,
  user: true,
  sudo: true,
  shell: true,
  launchType: true,
  schedule: true,
  scheduleRepeatType: true,
  timeout: true,
  trigger: true,
  files: true,
  description: true,
});

function commandBody(fields: CommandFields): CommandBody {
  const commandType = requireOneOf(fields.commandType, 'commandType', COMMAND_TYPES);
  const windows = commandType === 'windows';
  const launchType = requireOneOf(fields.launchType ?? 'manual', 'launchType', LAUNCH_TYPES);
  const schedule = requireText(fields.schedule ?? '', 'schedule', { max: MAX_SCHEDULE_LENGTH });
  const scheduleRepeatType = requireText(fields.scheduleRepeatType ?? '', 'scheduleRepeatType', { max: 32 });
  const trigger = requireText(fields.trigger ?? '', 'trigger', { max: 64 });
  if (launchType === 'trigger' && !TRIGGER_PATTERN.test(trigger)) {
    throw new ValidationError(
      'trigger',
      'must name the trigger (letters, digits, "_" or "-") when launchType is trigger',
    );
  }
  if ((launchType === 'repeated' || launchType === 'one-time') && schedule === '') {
    throw new ValidationError('schedule', `is required when launchType is ${launchType}`);
  }
  if (launchType === 'repeated' && scheduleRepeatType === '') {
    throw new ValidationError('scheduleRepeatType', 'is required when launchType is repeated');
  }
  return {
    name: requireText(fields.name, 'name', { min: 1, max: MAX_NAME_LENGTH }),
    command: requireRawString(fields.command, 'command', { min: 1, max: MAX_SCRIPT_LENGTH }),
    commandType,
    user: windows ? windowsUser(fields.user) : requireObjectId(fields.user, 'user'),
    sudo: requireBoolean(fields.sudo ?? false, 'sudo'),
    shell: shell(fields.shell ?? (windows ? 'powershell' : '/bin/bash'), windows),
    launchType,
    schedule,
    scheduleRepeatType,
    timeout: requireInteger(
      fields.timeout ?? DEFAULT_TIMEOUT_SECONDS,
      'timeout',
      0,
      MAX_COMMAND_TIMEOUT_SECONDS,
    ),
    trigger,
    files: requireIdList(fields.files ?? [], 'files', MAX_FILES),
    description: requireText(fields.description ?? '', 'description', { max: MAX_DESCRIPTION_LENGTH }),
  };
}

function windowsUser(user: unknown): string {
  if (user !== undefined && user !== '')
    throw new ValidationError('user', 'must be empty: windows commands have no user');
  return '';
}

function shell(value: unknown, windows: boolean): string {
  if (windows) return requireOneOf(value, 'shell', WINDOWS_SHELLS);
  if (typeof value !== 'string' || !UNIX_SHELL_PATTERN.test(value)) {
    throw new ValidationError('shell', 'must be the absolute path of a shell, e.g. /bin/bash');
  }
  return value;
}

export function addCommand({ data }: AddCommand, state: OrganizationState): OrganizationEvent[] {
  rejectUnknownKeys(data, ['commandId', ...COMMAND_FIELD_KEYS, 'deviceGroupIds', 'clonedFromId'], '');
  const command: Command = {
    id: requireNewId(state.commands, data.commandId, 'command', 'commandId'),
    ...commandBody(data),
    deviceGroupIds: requireExistingIds(
      data.deviceGroupIds,
      state.deviceGroups,
      'device group',
      'deviceGroupIds',
    ),
    ...lineage(data.clonedFromId),
  };
  return [{ type: 'CommandAdded', data: { command } }];
}

export function updateCommand({ data }: UpdateCommand, state: OrganizationState): OrganizationEvent[] {
  const current = existingItem(state.commands, data.commandId, 'command', 'commandId');
  const changes = definedChanges(data, 'commandId', COMMAND_FIELD_KEYS);
  const command: Command = { ...current, ...commandBody({ ...current, ...changes }) };
  if (jsonEqual(command, current)) return [];
  return [{ type: 'CommandUpdated', data: { command } }];
}

export function removeCommand({ data }: RemoveCommand, state: OrganizationState): OrganizationEvent[] {
  const command = existingItem(state.commands, data.commandId, 'command', 'commandId');
  return [{ type: 'CommandRemoved', data: { commandId: command.id } }];
}
