/**
 * The comparison key for names that must be unique case-insensitively (organizations per provider,
 * groups and policies per organization): trimmed, inner whitespace collapsed, Unicode-normalized
 * (NFKC, so look-alike compositions compare equal), lower-cased without locale rules.
 */
export function normalizeName(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** What the application compares to refuse a second organization with the same name (SPEC §1). */
export const normalizeOrganizationName = normalizeName;
