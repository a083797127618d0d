// The deploy action: read its inputs, run the whole pipeline, fail on any refusal or failed write.
import {
  readCommentInputs,
  readConnectionInputs,
  readFailOnWarnings,
  readSourceInputs,
} from '../shared/action-inputs.js';
import { getBoolean, getEnum, getString, InputError } from '../shared/inputs.js';
import { runDeploy } from '../shared/pipeline.js';
import { fail } from '../shared/report.js';

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
      default: 'flows',
      aliases: { flow: 'flows', namespace_files: 'namespace-files', 'namespace-file': 'namespace-files' },
    });
    await runDeploy({
      ...readSourceInputs(),
      comment: readCommentInputs(),
      connection,
      resource,
      namespace: getString('namespace') || undefined,
      overrideNamespace: getBoolean('override-namespace', false),
      delete: getBoolean('delete', false),
      dryRun: getBoolean('dry-run', false),
      readOnly: getBoolean('read-only', false),
      failOnWarnings: readFailOnWarnings(),
      to: getString('to', { default: '/' }),
    });
  } catch (error) {
    fail(error);
  }
}
