/** One command of the `orgclone` CLI. */
export interface CliCommand {
  /** The words that name it, e.g. `provider create`. */
  name: string;
  /** One line for the command list of `orgclone --help`. */
  summary: string;
  /** Usage and options, as `orgclone help <command>` prints them. */
  help: string;
  /** Runs it on the arguments after its name; resolves with the exit code. */
  run(args: readonly string[]): Promise<number>;
}
