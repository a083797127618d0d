// Flows in files that `exclude` takes out: not deployed, and not this step's to prune either. Their ids are
// read (not validated) so that `delete` leaves their copies on the server alone.
import { discoverExcluded, type DiscoverOptions } from './discover.js';
import { parseFlows } from '../parse/parse.js';

/**
 * Per namespace, the ids the excluded files define, in the namespace they would be deployed to: with
 * `override` (the deploy's `namespace` + `override-namespace`) that is the deploy's namespace. A file that
 * does not parse far enough to give an id and a namespace defines nothing here.
 */
export async function excludedFlowIds(
  inputs: DiscoverOptions,
  override?: string,
): Promise<Map<string, Set<string>>> {
  const ids = new Map<string, Set<string>>();
  const files = await discoverExcluded(inputs);
  for (const flow of parseFlows(files).flows) {
    const namespace = override ?? flow.namespace;
    if (!flow.id || !namespace) continue;
    ids.set(namespace, (ids.get(namespace) ?? new Set()).add(flow.id));
  }
  return ids;
}
