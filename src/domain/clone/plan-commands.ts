import { ROOT_USER_ID } from '../organization/model.js';
import type { Command } from '../organization/model.js';
import type { OrganizationState } from '../organization/state.js';
import type { Evaluation, EvaluationContext, PlanEntry } from './evaluation.js';
import { excludedBySelection, Findings } from './evaluation.js';

/**
 * SPEC §2: a Linux or macOS command that runs as anyone but root is not copied (its run-as user is
 * not cloned); Windows and root commands are copied without their uploaded files, bound to the
 * copies of their device groups.
 */
function evaluateCommand(command: Command, context: EvaluationContext): Evaluation<'COMMAND'> {
  if (context.excluded) return excludedBySelection();
  const findings = new Findings();
  const unix = command.commandType !== 'windows';
  if (unix && command.user !== ROOT_USER_ID) {
    return { verdict: findings.add('NON_ROOT_UNIX_COMMAND').skipped(), content: null };
  }
  if (command.files.length > 0) {
    findings
      .omit('COMMAND_FILES_OMITTED', 'files')
      .dropNeverCloned('COMMAND_FILES_OMITTED', 'files', 'FILE', command.files);
  }
  // Windows commands run as the system; a run-as user they still name belongs to the source only.
  const keepsUser = command.user === '' || command.user === ROOT_USER_ID;
  if (!keepsUser) {
    findings
      .omit('RUN_AS_USER_NOT_CLONED', 'user')
      .dropNeverCloned('RUN_AS_USER_NOT_CLONED', 'user', 'USER', [command.user]);
  }
  const deviceGroupIds = findings.keepCreated(
    context,
    'BINDING_NOT_CLONED',
    'deviceGroupIds',
    'DEVICE_GROUP',
    command.deviceGroupIds,
  );
  return {
    verdict: findings.copied(),
    content: (remap) => ({
      id: remap('COMMAND', command.id),
      name: command.name,
      command: command.command,
      commandType: command.commandType,
      user: keepsUser ? command.user : '',
      sudo: command.sudo,
      shell: command.shell,
      launchType: command.launchType,
      schedule: command.schedule,
      scheduleRepeatType: command.scheduleRepeatType,
      timeout: command.timeout,
      trigger: command.trigger,
      files: [],
      description: command.description,
      deviceGroupIds: deviceGroupIds.map((id) => remap('DEVICE_GROUP', id)),
      clonedFromId: command.id,
    }),
  };
}

export function commandEntries(source: OrganizationState): PlanEntry<'COMMAND'>[] {
  return Object.values(source.commands).map((command) => ({
    kind: 'COMMAND',
    sourceId: command.id,
    name: command.name,
    category: 'COMMANDS',
    selectionCategory: 'COMMANDS',
    deselectableBy: 'ITEM',
    dependsOn: command.deviceGroupIds.map((sourceId) => ({ kind: 'DEVICE_GROUP', sourceId })),
    selectionDependsOn: [],
    evaluate: (context) => evaluateCommand(command, context),
  }));
}
