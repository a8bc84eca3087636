/**
 * Transport bounds of every input: what the API refuses before a command is even built (a string
 * or a list a client could make arbitrarily large). They are ceilings, never tighter than the
 * domain's rules, which still check every value precisely and name the offending field too.
 */
export { MAX_DISPLAY_NAME_LENGTH } from '../domain/organization/decisions/lifecycle.js';
export { MAX_REFERENCES } from '../domain/organization/decisions/references.js';
export { MAX_COMMAND_TIMEOUT_SECONDS } from '../domain/organization/decisions/commands.js';
export { MAX_POLICY_LIST_ENTRIES } from '../domain/policy-templates/field-values.js';

/** Opaque ids (the domain's id rule is 1–128 characters). */
export const MAX_ID_LENGTH = 128;
/** Names, labels, emails, host names, keys. */
export const MAX_NAME_LENGTH = 255;
/** Descriptions, notes, schedules and other free text. */
export const MAX_TEXT_LENGTH = 4_096;
/** Script bodies of commands. */
export const MAX_SCRIPT_LENGTH = 100_000;
/** Short lists inside one item (files, filters, attributes, resources, factors, IPs). */
export const MAX_LIST_LENGTH = 1_000;
