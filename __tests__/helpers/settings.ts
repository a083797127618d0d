// Deploy settings for tests that call the core directly, as the front-ends would build them from defaults.
import type { DeploySettings } from '../../src/model/settings.js';

/** Flows under `flows/`, every switch off; `more` overrides. */
export const deploySettings = (
  workspace: string,
  connection: DeploySettings['connection'],
  more: Partial<DeploySettings> = {},
): DeploySettings => ({
  workspace,
  directory: 'flows',
  include: [],
  exclude: [],
  connection,
  resource: 'flows',
  overrideNamespace: false,
  delete: false,
  dryRun: false,
  readOnly: false,
  failOnWarnings: false,
  to: '/',
  ...more,
});
