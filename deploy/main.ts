// The deploy action: read its inputs, run the whole pipeline, fail on any refusal or failed write.
// Every input is read and checked here, before the first request: a refused run sends nothing.
import {
  readCommentInputs,
  readConnectionInputs,
  readFailOnWarnings,
  readSourceInputs,
} from '../src/github/settings.js';
import { getBoolean, getEnum, getString, InputError } from '../src/github/inputs.js';
import { runDeploy } from '../src/core/pipeline.js';
import { fail } from '../src/github/fail.js';

export async function run(): Promise<void> {
  try {
    const connection = readConnectionInputs();
    if (!connection) {
      throw new InputError(
        "Input 'server' is required to deploy: the URL of your Kestra server, like https://kestra.example.com",
      );
    }
    if (getString('resource')?.toLowerCase() === 'template') {
      throw new InputError(
        "'resource: template' is not supported: templates were removed from Kestra (use subflows)",
      );
    }
    const resource = getEnum('resource', ['flows', 'namespace-files'] as const, {
      aliases: { flow: 'flows', namespace_files: 'namespace-files', 'namespace-file': 'namespace-files' },
    });
    const namespace = getString('namespace');
    const overrideNamespace = getBoolean('override-namespace');
    // An empty namespace here is most often an unset variable: the flows would go to the namespaces they
    // declare (production, usually), and `delete` would prune there.
    if (overrideNamespace && !namespace) {
      throw new InputError(
        "'override-namespace' is true but 'namespace' is empty (an unset variable?): set 'namespace' to the namespace to deploy to, or remove 'override-namespace' to deploy each flow to the namespace it declares",
      );
    }
    if (resource === 'namespace-files' && !namespace) {
      throw new InputError(
        "'namespace' is required with 'resource: namespace-files', and it is empty (an unset variable?): set it to the namespace the files go to",
      );
    }
    await runDeploy({
      ...readSourceInputs(),
      comment: readCommentInputs(),
      connection,
      resource,
      namespace,
      overrideNamespace,
      delete: getBoolean('delete'),
      dryRun: getBoolean('dry-run'),
      readOnly: getBoolean('read-only'),
      failOnWarnings: readFailOnWarnings(),
      // Only namespace files are written under `to`: there, empty is refused rather than read as '/'.
      to:
        resource === 'namespace-files'
          ? getString('to', {
              notEmpty:
                "write the namespace folder the files go to, or remove the line to use '/' (its root)",
            })
          : '/',
    });
  } catch (error) {
    fail(error);
  }
}
