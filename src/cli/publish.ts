// What a run leaves for the CI besides its log: report files (--codequality, --junit, --sarif) and, in a
// GitLab merge request pipeline with a token, one sticky note per job. Failures here are warnings: the
// exit code stays the run's own.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DeployReport, Validation } from '../model/results.js';
import { planFileJson } from '../render/changes.js';
import { stepMarker } from '../render/marker.js';
import { codeQualityReport } from '../render/reporters/codequality.js';
import { junitReport } from '../render/reporters/junit.js';
import { sarifReport } from '../render/reporters/sarif.js';
import { upsertMergeRequestNote } from './gitlab-note.js';
import type { Output } from './output.js';
import type { CliSettings } from './settings.js';

export function writeReportFiles(
  settings: CliSettings,
  out: Output,
  env: NodeJS.ProcessEnv,
  cwd: string,
  version: string,
  results: { validation?: Validation; report?: DeployReport },
): void {
  const findings = results.validation?.checked.flatMap((c) => c.violations) ?? [];
  const files: [string | undefined, string, () => string][] = [
    [
      settings.reports.codequality,
      'Code Quality report',
      // GitLab links paths from the project's root (CI_PROJECT_DIR): a job run in a subfolder gets a prefix.
      () => codeQualityReport(findings, { root: env.CI_PROJECT_DIR, workspace: settings.source.workspace }),
    ],
    [settings.reports.junit, 'JUnit report', () => junitReport(results)],
    [settings.reports.sarif, 'SARIF report', () => sarifReport(findings, { version })],
    // The plan with every diff: only a dry-run has one.
    [
      results.report?.changes ? settings.reports.plan : undefined,
      'plan',
      () => planFileJson(results.report as DeployReport),
    ],
  ];
  for (const [file, what, render] of files) {
    if (!file) continue;
    const target = path.resolve(cwd, file);
    try {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      // Artifacts outlive the job: a secret a server's message quotes is scrubbed here too.
      fs.writeFileSync(target, out.scrub(render()));
      out.info(`${what} written to ${file}`);
    } catch (error) {
      out.warning(
        `cannot write the ${what} to ${file}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

/**
 * The job's merge request note, when the pipeline runs for a merge request (CI_MERGE_REQUEST_IID) and a
 * token is given (GITLAB_TOKEN or --gitlab-token). The body is scrubbed by the Output's secrets as well:
 * GitLab masks variables in job logs, not in notes.
 */
export async function noteOnMergeRequest(
  settings: CliSettings,
  out: Output,
  env: NodeJS.ProcessEnv,
  body: (marker: string) => string,
): Promise<void> {
  const iid = env.CI_MERGE_REQUEST_IID;
  if (!iid) return;
  if (!settings.gitlabToken) {
    out.info('No GITLAB_TOKEN (or --gitlab-token): no merge request note.');
    return;
  }
  const apiUrl = env.CI_API_V4_URL;
  const projectId = env.CI_PROJECT_ID;
  if (!apiUrl || !projectId) {
    out.warning('CI_API_V4_URL or CI_PROJECT_ID is not set: no merge request note.');
    return;
  }
  const deploy = settings.deploy;
  const marker = stepMarker(settings.command, {
    directory: settings.source.directory,
    include: settings.source.include,
    exclude: settings.source.exclude,
    server: settings.connection?.server,
    tenant: settings.connection?.tenant,
    resource: deploy?.resource,
    namespace: deploy?.namespace,
    to: deploy?.to,
    commentId: settings.commentId,
  });
  try {
    await upsertMergeRequestNote({
      apiUrl,
      projectId,
      mergeRequestIid: iid,
      token: settings.gitlabToken,
      marker,
      body: out.scrub(body(marker)),
      warn: (m) => out.warning(m),
      info: (m) => out.info(m),
      env,
    });
  } catch (error) {
    out.warning(
      `cannot write the merge request note: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
