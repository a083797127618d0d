// A real HTTP server that plays the GitHub REST endpoints a sticky pull-request comment needs:
// list issue comments (paginated with `Link` headers, 100 a page at most), create one, update one.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Comment {
  id: number;
  node_id: string;
  url: string;
  html_url: string;
  issue_url: string;
  body: string;
  user: { login: string; id: number; type: string };
  created_at: string;
  updated_at: string;
  author_association: string;
}

export interface Call {
  method: string;
  url: string;
  authorization?: string;
  body?: { body?: string };
}

export interface FakeGitHubOptions {
  /** The token the server accepts (`Authorization: token …`). */
  token?: string;
  /** Answer 403 "Resource not accessible by integration" to writes (a read-only token) or to everything. */
  forbid?: 'writes' | 'all';
  /** Answer every request with this status and message. */
  fail?: { status: number; message: string; headers?: http.OutgoingHttpHeaders };
  /** Never answer (to test the timeout). */
  hang?: boolean;
}

export interface FakeGitHub {
  url: string;
  calls: Call[];
  /** The comments of one issue or pull request, oldest first. */
  comments(owner: string, repo: string, issue: number): Comment[];
  /** Adds comments written by someone else, as if posted before the run. */
  seed(owner: string, repo: string, issue: number, bodies: string[]): Comment[];
  close(): Promise<void>;
}

const BODY_LIMIT = 65_536;

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const token = options.token ?? 'ghs_testtoken';
  const issues = new Map<string, Comment[]>();
  const calls: Call[] = [];
  let nextId = 1_000_000;
  let base = '';

  const list = (owner: string, repo: string, issue: number): Comment[] => {
    const key = `${owner}/${repo}#${issue}`;
    if (!issues.has(key)) issues.set(key, []);
    return issues.get(key) as Comment[];
  };
  const make = (owner: string, repo: string, issue: number, body: string, login: string): Comment => {
    const id = nextId++;
    const now = new Date().toISOString();
    return {
      id,
      node_id: `IC_kwDO${id.toString(36)}`,
      url: `${base}/repos/${owner}/${repo}/issues/comments/${id}`,
      html_url: `https://github.com/${owner}/${repo}/pull/${issue}#issuecomment-${id}`,
      issue_url: `${base}/repos/${owner}/${repo}/issues/${issue}`,
      body,
      user: {
        login,
        id: login === 'github-actions[bot]' ? 41898282 : 583231,
        type: login.endsWith('[bot]') ? 'Bot' : 'User',
      },
      created_at: now,
      updated_at: now,
      author_association: login.endsWith('[bot]') ? 'NONE' : 'MEMBER',
    };
  };

  const send = (
    res: http.ServerResponse,
    status: number,
    value: unknown,
    headers: http.OutgoingHttpHeaders = {},
  ) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(value));
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = req.method ?? '';
      const raw = Buffer.concat(chunks).toString('utf8');
      const call: Call = { method, url: req.url ?? '', authorization: req.headers.authorization };
      if (raw) call.body = JSON.parse(raw) as { body?: string };
      calls.push(call);
      if (options.hang) return;
      if (options.fail)
        return send(res, options.fail.status, { message: options.fail.message }, options.fail.headers);
      if (req.headers.authorization !== `token ${token}`) {
        return send(res, 401, {
          message: 'Bad credentials',
          documentation_url: 'https://docs.github.com/rest',
        });
      }
      if (options.forbid === 'all' || (options.forbid === 'writes' && method !== 'GET')) {
        return send(res, 403, {
          message: 'Resource not accessible by integration',
          documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
          status: '403',
        });
      }
      const url = new URL(req.url ?? '/', base);
      let m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
      if (m) {
        const [owner, repo, issue] = [m[1] as string, m[2] as string, Number(m[3])];
        const comments = list(owner, repo, issue);
        if (method === 'GET') {
          const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
          const page = Math.max(Number(url.searchParams.get('page') ?? 1), 1);
          const last = Math.max(Math.ceil(comments.length / perPage), 1);
          const link = (p: number, rel: string) => {
            const u = new URL(url.pathname, base);
            u.searchParams.set('per_page', String(perPage));
            u.searchParams.set('page', String(p));
            return `<${u.href}>; rel="${rel}"`;
          };
          const links: string[] = [];
          if (page > 1) links.push(link(page - 1, 'prev'), link(1, 'first'));
          if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
          return send(
            res,
            200,
            comments.slice((page - 1) * perPage, page * perPage),
            links.length ? { link: links.join(', ') } : {},
          );
        }
        if (method === 'POST') {
          const body = call.body?.body;
          if (typeof body !== 'string' || !body) return send(res, 422, { message: 'Validation Failed' });
          if ([...body].length > BODY_LIMIT) {
            return send(res, 422, {
              message: 'Validation Failed',
              errors: [
                {
                  resource: 'IssueComment',
                  code: 'custom',
                  field: 'body',
                  message: 'body is too long (maximum is 65536 characters)',
                },
              ],
            });
          }
          const c = make(owner, repo, issue, body, 'github-actions[bot]');
          comments.push(c);
          return send(res, 201, c, { location: c.url });
        }
      }
      m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname);
      if (m && method === 'PATCH') {
        const id = Number(m[3]);
        const c = [...issues.values()].flat().find((x) => x.id === id);
        if (!c) return send(res, 404, { message: 'Not Found' });
        const body = call.body?.body;
        if (typeof body !== 'string' || [...body].length > BODY_LIMIT)
          return send(res, 422, { message: 'Validation Failed' });
        c.body = body;
        c.updated_at = new Date().toISOString();
        return send(res, 200, c);
      }
      send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    calls,
    comments: (owner, repo, issue) => list(owner, repo, issue),
    seed: (owner, repo, issue, bodies) => {
      const added = bodies.map((b) => make(owner, repo, issue, b, 'octocat'));
      list(owner, repo, issue).push(...added);
      return added;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
