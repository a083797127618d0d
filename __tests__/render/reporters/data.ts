// Findings, a validation and deploy reports as the pipeline returns them, for the reporters' tests: a
// plain set (the golden files) and a hostile one (names and messages that try to break out of each format).
import type { DeployReport, FlowResult, Validation } from '../../../src/model/results.js';
import type { Violation } from '../../../src/model/types.js';

export const FINDINGS: Violation[] = [
  {
    file: 'flows/company.team/hello.yml',
    line: 9,
    column: 5,
    flow: 'company.team.hello',
    path: 'tasks[1].id',
    rule: 'duplicate-id',
    message: "Duplicate task id 'log': task ids must be unique in a flow.",
    severity: 'error',
    origin: 'lint',
  },
  {
    file: 'flows/company.team/hello.yml',
    line: 14,
    column: 11,
    flow: 'company.team.hello',
    path: 'tasks[2].type',
    rule: 'type',
    message: 'Invalid type: io.kestra.plugin.core.log.Logg',
    severity: 'error',
    origin: 'server',
  },
  {
    file: 'flows/company.data/report.yml',
    line: 3,
    column: 3,
    flow: 'company.data.report',
    path: 'labels[0].key',
    rule: 'label-key',
    message: "Label key 'Team Name' has a space: use letters, digits, '-', '_' or '.'.",
    severity: 'warning',
    origin: 'lint',
  },
  {
    file: 'flows/broken.yml',
    line: 4,
    column: 1,
    rule: 'syntax',
    docIndex: 0,
    message: 'Tabs are not allowed in YAML indentation: indent with spaces instead.',
    severity: 'error',
    origin: 'yaml',
  },
  {
    file: 'flows/company.team/nightly.yml',
    line: 20,
    column: 7,
    flow: 'company.team.nightly',
    message: 'The server suggests a newer form of this trigger.',
    severity: 'notice',
    origin: 'server',
  },
];

/** What a hostile repository or server could put in a file name or a message. */
export const HOSTILE_TEXT = [
  'line one\nline two\r\nline three\rend',
  '::error file=forged.yml,line=1::forged',
  '##vso[task.logissue type=error]forged',
  '##vso[task.setvariable variable=x]forged',
  ']]><injected attr="1"/><![CDATA[',
  '</failure></testcase><testcase name="forged">',
  '<b>&amp; & &#65; &lt;</b>',
  `"double" 'single' \`back\``,
  'control \u0000 \u0007 \u001b[31mred\u001b[0m \u000b \u000c \u007f',
  'percent %25 %0A %AZP25 %3A %2C %5D %3B 100%',
  'semi;colon]bracket[open,comma:colon=equals',
  'tab\there, lone \ud800 surrogate, \ufffe, emoji 🚀',
];

export const HOSTILE_FINDINGS: Violation[] = HOSTILE_TEXT.map((text, i) => ({
  file: `flows/${text}/f${i}.yml`,
  line: i + 1,
  column: 2,
  flow: `ns.${text}`,
  path: `tasks[${i}].id`,
  rule: 'required',
  message: text,
  severity: (['error', 'warning', 'notice'] as const)[i % 3]!,
  origin: 'lint',
}));

const result = (r: Partial<FlowResult> & Pick<FlowResult, 'file' | 'status'>): FlowResult => ({
  line: 1,
  messages: [],
  ...r,
});

export const VALIDATION: Validation = {
  checked: [],
  mode: 'server OSS 1.3.19',
  totals: {
    valid: false,
    flows: 4,
    errors: 2,
    warnings: 1,
    results: [
      result({
        file: 'flows/broken.yml',
        status: 'invalid',
        messages: [`error: line 4: ${FINDINGS[3]!.message}`],
      }),
      result({
        file: 'flows/company.data/report.yml',
        namespace: 'company.data',
        id: 'report',
        status: 'warning',
        messages: [`warning: line 3: ${FINDINGS[2]!.message}`],
      }),
      result({
        file: 'flows/company.team/hello.yml',
        namespace: 'company.team',
        id: 'hello',
        status: 'invalid',
        messages: [`error: line 9: ${FINDINGS[0]!.message}`, `error: line 14: ${FINDINGS[1]!.message}`],
      }),
      result({
        file: 'flows/company.team/nightly.yml',
        namespace: 'company.team',
        id: 'nightly',
        status: 'valid',
      }),
    ],
  },
};

export const HOSTILE_VALIDATION: Validation = {
  checked: [],
  mode: HOSTILE_TEXT[4]!,
  totals: {
    valid: false,
    flows: HOSTILE_TEXT.length,
    errors: HOSTILE_TEXT.length,
    warnings: 0,
    results: HOSTILE_TEXT.map((text) =>
      result({ file: `flows/${text}.yml`, namespace: text, id: text, status: 'invalid', messages: [text] }),
    ),
  },
};

/** A dry-run plan of two namespaces. */
export const PLAN: DeployReport = {
  resource: 'flows',
  dryRun: true,
  namespaces: [
    { namespace: 'company.data', status: 'planned' },
    { namespace: 'company.team', status: 'planned' },
  ],
  results: [
    { file: 'flows/company.data/report.yml', namespace: 'company.data', id: 'report', action: 'created' },
    {
      file: 'flows/company.team/hello.yml',
      namespace: 'company.team',
      id: 'hello',
      action: 'updated',
      revision: 3,
    },
    {
      file: 'flows/company.team/nightly.yml',
      namespace: 'company.team',
      id: 'nightly',
      action: 'unchanged',
      revision: 1,
    },
    { namespace: 'company.team', id: 'old', action: 'deleted', revision: 2 },
  ],
  plan: {
    'company.data': { create: ['report'], update: [], unchanged: [], delete: [] },
    'company.team': { create: [], update: ['hello'], unchanged: ['nightly'], delete: ['old'] },
  },
};

/** Namespace files: the first namespace written, the second failed at one upload, the third never tried. */
export const FAILED_DEPLOY: DeployReport = {
  resource: 'namespace-files',
  dryRun: false,
  namespaces: [
    { namespace: 'company.a', status: 'written' },
    {
      namespace: 'company.b',
      status: 'failed',
      error: 'upload of /scripts/etl.py failed: 413 Payload Too Large',
      failed: ['/scripts/etl.py'],
      notWritten: ['/sql/daily.sql'],
      notDeleted: ['/old.txt'],
    },
    { namespace: 'company.c', status: 'skipped' },
  ],
  results: [
    { file: 'files/a/readme.md', namespace: 'company.a', path: '/readme.md', action: 'created' },
    { file: 'files/b/notes.md', namespace: 'company.b', path: '/notes.md', action: 'updated' },
  ],
  plan: {},
};

export const HOSTILE_DEPLOY: DeployReport = {
  resource: 'flows',
  dryRun: false,
  namespaces: [
    {
      namespace: HOSTILE_TEXT[5]!,
      status: 'failed',
      error: HOSTILE_TEXT[8]!,
      failed: [HOSTILE_TEXT[4]!],
      notWritten: [HOSTILE_TEXT[6]!],
    },
  ],
  results: HOSTILE_TEXT.map((text) => ({
    file: text,
    namespace: HOSTILE_TEXT[5]!,
    id: text,
    action: 'created',
  })),
  plan: {},
};
