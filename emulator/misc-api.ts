// Global endpoints (docs/kestra-api.md#global-endpoints): `/api/v1/configs` (version, edition), and a
// small `/api/v1/plugins/schemas/{type}` built from the emulated server's flow model and plugin types.
import { randomUUID } from 'node:crypto';
import { notFound } from './errors.js';
import { defaultTypes } from './plugins.js';
import type { Route } from './router.js';
import { flowProperties } from './validation.js';
import type { Features } from './version.js';

export interface MiscOptions {
  features: Features;
  basicAuthConfigured: boolean;
  knownTypes?: string[];
  /** Leave `version` out of `/configs`. */
  withoutVersion?: boolean;
}

function configs(o: MiscOptions, uuid: string): Record<string, unknown> {
  const f = o.features;
  const out: Record<string, unknown> = {
    uuid,
    ...(o.withoutVersion ? {} : { version: f.version.raw }),
    commitId: 'emulator',
    commitDate: '2026-05-21T00:00:00Z',
  };
  if (f.editionInConfigs) out.edition = f.edition;
  Object.assign(out, {
    isCustomDashboardsEnabled: false,
    isAnonymousUsageEnabled: false,
    isUiAnonymousUsageEnabled: false,
    isTemplateEnabled: false,
    preview: { initial: 100, max: 5000 },
    systemNamespace: 'system',
    hiddenLabelsPrefixes: [],
    isAiEnabled: false,
    pluginsHash: 0,
    isConcurrencyViewEnabled: true,
    chartDefaultDuration: 'P30D',
  });
  if (f.basicAuthInitializedFlag) out.isBasicAuthInitialized = o.basicAuthConfigured;
  else out.isBasicAuthEnabled = o.basicAuthConfigured;
  return out;
}

const SCHEMA_TYPES = [
  'flow',
  'template',
  'task',
  'trigger',
  'plugindefault',
  'apps',
  'testsuites',
  'dashboard',
];

/** A draft-7 schema root like the server's: the Flow model plus one definition per installed plugin type. */
function schema(o: MiscOptions, type: string): Record<string, unknown> {
  if (!SCHEMA_TYPES.includes(type)) throw notFound();
  const flowClass = 'io.kestra.core.models.flows.Flow';
  const definitions: Record<string, unknown> = {
    [flowClass]: {
      type: 'object',
      properties: Object.fromEntries(flowProperties(o.features).map((k) => [k, {}])),
      required: ['id', 'namespace', 'tasks'],
      additionalProperties: false,
    },
  };
  for (const t of o.knownTypes ?? defaultTypes(o.features.version.raw)) {
    definitions[t] = {
      type: 'object',
      properties: { id: { type: 'string' }, type: { const: t } },
      required: ['type'],
    };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $ref: `#/definitions/${flowClass}`,
    definitions,
  };
}

export function miscRoutes(o: MiscOptions): Route[] {
  const uuid = randomUUID();
  return [
    { method: 'GET', path: 'configs', handler: () => ({ status: 200, json: configs(o, uuid) }) },
    {
      method: 'GET',
      path: 'plugins/schemas/{type}',
      handler: (ctx) => ({ status: 200, json: schema(o, ctx.params.type!) }),
    },
  ];
}
