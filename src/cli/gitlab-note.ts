// STAND-IN (h11-cli): the reporters' branch writes the real client; same signature. The merge request's
// sticky note: found again by its marker, updated in place, else created. Its failures are warnings.
export async function upsertMergeRequestNote(options: {
  apiUrl: string;
  projectId: string;
  mergeRequestIid: string;
  token: string;
  marker: string;
  body: string;
  warn: (m: string) => void;
  info: (m: string) => void;
}): Promise<void> {
  const base = `${options.apiUrl.replace(/\/+$/, '')}/projects/${encodeURIComponent(options.projectId)}/merge_requests/${encodeURIComponent(options.mergeRequestIid)}/notes`;
  const headers = { 'PRIVATE-TOKEN': options.token, 'Content-Type': 'application/json' };
  try {
    const list = await fetch(`${base}?per_page=100&sort=asc`, { headers });
    if (!list.ok) throw new Error(`listing the notes answered ${list.status}`);
    const notes = (await list.json()) as { id: number; body?: string }[];
    const mine = notes.find((n) => n.body?.includes(options.marker));
    const answer = await fetch(mine ? `${base}/${mine.id}` : base, {
      method: mine ? 'PUT' : 'POST',
      headers,
      body: JSON.stringify({ body: options.body }),
    });
    if (!answer.ok) throw new Error(`${mine ? 'updating' : 'creating'} the note answered ${answer.status}`);
    options.info(`Merge request note ${mine ? 'updated' : 'created'}`);
  } catch (error) {
    options.warn(
      `Cannot write the merge request note: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
