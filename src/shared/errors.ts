/**
 * The one error base of orgclone. Every error a caller may see has a stable `code`; the API maps
 * codes to GraphQL `extensions.code` in exactly one place (the server's error formatter), the CLI
 * prints the message and exits non-zero. Anything that is not an `OrgcloneError` is internal.
 */
export abstract class OrgcloneError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
