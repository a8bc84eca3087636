/** Where EventStoreDB servers differ in what this test server reproduces. */
export interface ServerBehaviour {
  /** Whether a subscription to a stream without events gets `CaughtUp`: not before 24.2 (KurrentDB #4115). */
  readonly caughtUpOnMissingStream: boolean;
  /**
   * Whether the `$by_category` system projection runs: after every append to a stream `category-id` it
   * links each event from `$ce-category`, so system events interleave with the application's in `$all`.
   */
  readonly linkToCategories: boolean;
}

/** A current node with projections off. */
export const CURRENT_SERVER: ServerBehaviour = { caughtUpOnMissingStream: true, linkToCategories: false };
