// A real HTTP server that plays the GitLab REST endpoints a merge request note needs: list the notes
// (newest first, paginated with GitLab's x-next-page headers), create one, update one; and GitLab's
// refusals: 401 for a bad token or a job token (notes are not among its endpoints), 403 for a token
// without the `api` scope, 404 for a project or merge request the token cannot see.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Note {
  id: number;
  type: null;
  body: string;
  author: { id: number; username: string; name: string };
  created_at: string;
  updated_at: string;
  system: boolean;
  noteable_id: number;
  noteable_type: 'MergeRequest';
  noteable_iid: number;
  resolvable: boolean;
  confidential: boolean;
  internal: boolean;
}

export interface Call {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body?: { body?: string };
}

export interface FakeGitLabOptions {
  /** The token the server accepts as PRIVATE-TOKEN, with the `api` scope. */
  token?: string;
  /** A token accepted with the `read_api` scope only: it lists, and every write is refused with 403. */
  readOnlyToken?: string;
  /** The project (id or URL-encoded path) and merge request that exist. */
  project?: string;
  mergeRequest?: number;
  /** Answer every request with this status and body. */
  fail?: { status: number; body: unknown };
  /** Never answer (to test the timeout). */
  hang?: boolean;
}

export interface FakeGitLab {
  /** The API root, as CI_API_V4_URL gives it. */
  apiUrl: string;
  calls: Call[];
  /** The merge request's notes, oldest first. */
  notes(): Note[];
  /** Adds notes written by someone else, as if posted before the run (oldest first). */
  seed(bodies: string[], options?: { system?: boolean }): Note[];
  close(): Promise<void>;
}

const NOTE_LIMIT = 1_000_000;

export async function startFakeGitLab(options: FakeGitLabOptions = {}): Promise<FakeGitLab> {
  const token = options.token ?? 'glpat-testtoken';
  const project = options.project ?? '42';
  const iid = options.mergeRequest ?? 7;
  const notes: Note[] = [];
  const calls: Call[] = [];
  let nextId = 5000;
  let clock = Date.parse('2026-01-01T00:00:00Z');

  const make = (body: string, username: string, system = false): Note => {
    const at = new Date((clock += 1000)).toISOString();
    return {
      id: nextId++,
      type: null,
      body,
      author: { id: username === 'project_42_bot' ? 9001 : 17, username, name: username },
      created_at: at,
      updated_at: at,
      system,
      noteable_id: 800,
      noteable_type: 'MergeRequest',
      noteable_iid: iid,
      resolvable: false,
      confidential: false,
      internal: false,
    };
  };

  const send = (
    res: http.ServerResponse,
    status: number,
    value: unknown,
    headers: http.OutgoingHttpHeaders = {},
  ) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(value));
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = req.method ?? '';
      const raw = Buffer.concat(chunks).toString('utf8');
      const call: Call = { method, url: req.url ?? '', headers: req.headers };
      if (raw) call.body = JSON.parse(raw) as { body?: string };
      calls.push(call);
      if (options.hang) return;
      if (options.fail) return send(res, options.fail.status, options.fail.body);
      // Notes are not among the job token's endpoints: GitLab does not take it as a credential there.
      const given = req.headers['private-token'];
      const readOnly = options.readOnlyToken !== undefined && given === options.readOnlyToken;
      if (given !== token && !readOnly) return send(res, 401, { message: '401 Unauthorized' });
      const url = new URL(req.url ?? '/', 'http://gitlab.test');
      const m = /^\/api\/v4\/projects\/([^/]+)\/merge_requests\/([^/]+)\/notes(?:\/(\d+))?$/.exec(
        url.pathname,
      );
      if (!m) return send(res, 404, { error: '404 Not Found' });
      if (decodeURIComponent(m[1]!) !== decodeURIComponent(project))
        return send(res, 404, { message: '404 Project Not Found' });
      if (m[2] !== String(iid)) return send(res, 404, { message: '404 Not found' });
      if (readOnly && method !== 'GET') {
        return send(res, 403, {
          error: 'insufficient_scope',
          error_description: 'The request requires higher privileges than provided by the access token.',
          scope: 'api',
        });
      }
      const noteId = m[3] ? Number(m[3]) : undefined;
      if (method === 'GET' && noteId === undefined) {
        const perPage = Math.min(Math.max(Number(url.searchParams.get('per_page') ?? 20), 1), 100);
        const page = Math.max(Number(url.searchParams.get('page') ?? 1), 1);
        const newestFirst = [...notes].reverse();
        const totalPages = Math.max(Math.ceil(newestFirst.length / perPage), 1);
        return send(res, 200, newestFirst.slice((page - 1) * perPage, page * perPage), {
          'x-page': String(page),
          'x-per-page': String(perPage),
          'x-next-page': page < totalPages ? String(page + 1) : '',
          'x-prev-page': page > 1 ? String(page - 1) : '',
          'x-total': String(newestFirst.length),
          'x-total-pages': String(totalPages),
        });
      }
      const body = call.body?.body;
      if ((method === 'POST' || method === 'PUT') && (typeof body !== 'string' || !body.trim()))
        return send(res, 400, { message: { note: ["can't be blank"] } });
      if (typeof body === 'string' && body.length > NOTE_LIMIT)
        return send(res, 400, { message: { note: ['is too long (maximum is 1000000 characters)'] } });
      if (method === 'POST' && noteId === undefined) {
        const note = make(body as string, 'project_42_bot');
        notes.push(note);
        return send(res, 201, note);
      }
      if (method === 'PUT' && noteId !== undefined) {
        const note = notes.find((n) => n.id === noteId);
        if (!note) return send(res, 404, { message: '404 Note Not Found' });
        note.body = body as string;
        note.updated_at = new Date((clock += 1000)).toISOString();
        return send(res, 200, note);
      }
      send(res, 405, { error: '405 Method Not Allowed' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiUrl: `${base}/api/v4`,
    calls,
    notes: () => notes,
    seed: (bodies, seedOptions) => {
      const added = bodies.map((b) => make(b, 'alice', seedOptions?.system));
      notes.push(...added);
      return added;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
