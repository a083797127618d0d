// The root (marketplace) action: `command` picks validate or deploy; both read the same inputs as their own actions.
import { run as deploy } from './deploy.js';
import { fail } from './fail.js';
import { getEnum, getString } from './inputs.js';
import { run as validate } from './validate.js';

export async function run(): Promise<void> {
  let command: 'validate' | 'deploy';
  try {
    getString('command', { required: true, hint: "'command: validate' or 'command: deploy'" });
    command = getEnum('command', ['validate', 'deploy'] as const);
  } catch (error) {
    fail(error);
    return;
  }
  await (command === 'validate' ? validate() : deploy());
}
