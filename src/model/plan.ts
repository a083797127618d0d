// What a deploy means to do in one namespace, for flows and namespace files alike: the plan stage makes it,
// the apply stage carries it out, a dry-run reports it.
import type { FlowDoc, LocalFile } from './types.js';

/** Why a resource is not the run's to manage: `include` does not match it, `exclude` or `.kestraignore` take it out. */
export type LeftOutBy = 'include' | 'exclude' | '.kestraignore';

export interface Plan<Item> {
  namespace: string;
  /** Local items the server does not have. */
  create: Item[];
  /** Local items the server has with other content (flows: see FlowPlan). */
  update: Item[];
  unchanged: Item[];
  /** Names on the server (flow ids, file paths) that the local set no longer has: only with `delete`. */
  delete: string[];
  /** With `delete`: names on the server missing locally that the run's filters leave out, so not deleted. */
  kept: { name: string; by: LeftOutBy }[];
  /**
   * The server's content of items in `update` (flows: source text; files: bytes), by id or remote path,
   * when the plan read it: a dry-run turns it into a diff of what the deploy would change.
   */
  before?: ReadonlyMap<string, string | Uint8Array>;
}

export interface FlowPlan extends Plan<FlowDoc> {
  resource: 'flows';
  /**
   * Revision of each flow on the server before the deploy: apply tells created, updated and unchanged apart
   * by it. `update` holds every flow the server has, unless its sources were compared (as every deploy does).
   */
  revisions: ReadonlyMap<string, number>;
}

export interface FilePlan extends Plan<LocalFile> {
  resource: 'namespace-files';
  /** Remote folder the tree goes to, in `/…/` form: a file's remote path is `to` + its `relative`. */
  to: string;
}

export type AnyPlan = FlowPlan | FilePlan;
