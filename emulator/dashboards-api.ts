// Dashboards on OSS 2.0 (docs/kestra-api.md#dashboards): custom dashboards became Enterprise-only, so the
// OSS server keeps the read routes with nothing behind them and refuses every write with a 405. Only this
// case is modelled: the product never sends dashboards, and the routes exist to prove that it does not.
import { HttpError, notFound } from './errors.js';
import type { Route } from './router.js';
import type { Features } from './version.js';

const ALLOW = 'HEAD, GET';

const notAllowed = (method: string, path: string): HttpError =>
  new HttpError(
    405,
    `Method Not Allowed: Method [${method}] not allowed for URI [${path}]. Allowed methods: [${ALLOW}]`,
    { headers: { allow: ALLOW } },
  );

/** The dashboard routes of an OSS 2.x server; none for other versions and editions. */
export function dashboardRoutes(f: Features): Route[] {
  if (f.edition !== 'OSS' || f.version.major < 2) return [];
  const refuse =
    (method: string) =>
    (ctx: { pathname: string }): never => {
      throw notAllowed(method, ctx.pathname);
    };
  return [
    {
      method: 'GET',
      path: 'dashboards',
      handler: () => ({ status: 200, json: { results: [], total: 0 } }),
    },
    {
      method: 'GET',
      path: 'dashboards/{id}',
      // No dashboard is ever stored; the real detail text is not in our notes.
      handler: () => {
        throw notFound();
      },
    },
    { method: 'POST', path: 'dashboards', handler: refuse('POST') },
    { method: 'PUT', path: 'dashboards/{id}', handler: refuse('PUT') },
    { method: 'DELETE', path: 'dashboards/{id}', handler: refuse('DELETE') },
  ];
}
