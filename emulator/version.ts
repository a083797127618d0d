// Which behaviours of the Kestra API depend on the emulated server version (docs/kestra-api.md#versions).
// Every version switch of the emulator is read from here, so the differences live in one place.

export type Edition = 'OSS' | 'EE';

export interface Version {
  major: number;
  minor: number;
  patch: number;
  raw: string;
}

export function parseVersion(raw: string): Version {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(raw.trim());
  if (!m)
    throw new Error(
      `Invalid emulated Kestra version "${raw}": expected something like 1.3.19 or 2.0.0-SNAPSHOT`,
    );
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0), raw: raw.trim() };
}

/** `v >= min` on major.minor.patch; a `-SNAPSHOT` suffix is ignored (2.0.0-SNAPSHOT counts as 2.0.0). */
export function atLeast(v: Version, min: string): boolean {
  const o = parseVersion(min);
  if (v.major !== o.major) return v.major > o.major;
  if (v.minor !== o.minor) return v.minor > o.minor;
  return v.patch >= o.patch;
}

export interface Features {
  version: Version;
  edition: Edition;
  /** `/api/v1/{tenant}/…` paths (OSS ≥ 0.23, EE always). */
  tenantInPath: boolean;
  /** EE before 0.23 accepted both the tenant-less and the tenant form. */
  tenantOptional: boolean;
  /** `multipart/form-data` parts `flows` on validate and on the namespace bulk update (≥ 1.3). */
  multipartFlows: boolean;
  /** The validate endpoint prefixes its messages with `Validation error: ` (≥ 1.3). */
  validationErrorPrefix: boolean;
  /** `edition` in `/configs` (≥ 1.0). */
  editionInConfigs: boolean;
  /** `isBasicAuthInitialized` in `/configs` (≥ 0.24); before that `isBasicAuthEnabled`. */
  basicAuthInitializedFlag: boolean;
  /** `/configs` needs no credentials (OSS ≥ 0.24, and EE). */
  configsOpen: boolean;
  /** `WWW-Authenticate: Basic realm=Kestra` (≤ 0.23) instead of a bare `Basic`. */
  basicRealm: boolean;
  /** Credentials may also come from the `BASIC_AUTH` cookie (≥ 0.24). */
  basicAuthCookie: boolean;
  /** Namespace-file paths go through URLEncoder: a space becomes `+` (up to 1.3; 2.0 keeps it). */
  plusForSpace: boolean;
  /** Each namespace-file upload is a new revision (≥ 1.2); before, uploads overwrite. */
  fileRevisions: boolean;
  /** `Flow id is a reserved keyword` rule (removed in 2.0). */
  reservedFlowIds: boolean;
  /** `listeners` and `taskDefaults` are still accepted top-level keys (< 2.0). */
  legacyFlowKeys: boolean;
  /** `checks` top-level key (≥ 1.1). */
  checksKey: boolean;
  /** `workerSelector`/`quotas` replace `workerGroup` (≥ 2.0). */
  workerSelector: boolean;
  /** Bulk update parses pieces as GenericFlow (types resolved only at upsert) and names flows by uid (≥ 1.0). */
  genericBulk: boolean;
  /** Non-YAML create/update bodies reach the deprecated JSON handlers (< 2.0); 2.0 answers 415. */
  jsonFlowHandlers: boolean;
  /** Updates (PUT and bulk) parse strictly: unknown properties are rejected (2.0; 1.3 was lenient). */
  strictUpdate: boolean;
  /** Flows carry `updated` (≥ 1.3). */
  updatedField: boolean;
  /** Flow search reads the legacy `q`, `namespace`, `scope` and `labels` (OSS before 2.0, EE before 1.3). */
  legacyFlowSearch: boolean;
  /** Flow search reads `filters[field][OP]` (≥ 1.3, the oldest spec that has them; before, they are ignored). */
  flowSearchFilters: boolean;
  /** Errors are RFC 9457 problem details (`application/problem+json`), a duplicate create is 409 (≥ 2.0). */
  problemDetails: boolean;
  /** Flow `pluginDefaults` (removed in 2.0). */
  pluginDefaultsKey: boolean;
  /** Trigger `conditions` (replaced by `when` in 2.0). */
  triggerConditions: boolean;
  /** ForEach, ForEachItem and the other core types deleted in 2.0 still exist (< 2.0). */
  removedCoreTypes: boolean;
}

export function features(version: string, edition: Edition): Features {
  const v = parseVersion(version);
  return {
    version: v,
    edition,
    tenantInPath: edition === 'EE' || atLeast(v, '0.23.0'),
    tenantOptional: edition === 'EE' && !atLeast(v, '0.23.0'),
    multipartFlows: atLeast(v, '1.3.0'),
    validationErrorPrefix: atLeast(v, '1.3.0'),
    editionInConfigs: atLeast(v, '1.0.0'),
    basicAuthInitializedFlag: atLeast(v, '0.24.0'),
    configsOpen: edition === 'EE' || atLeast(v, '0.24.0'),
    basicRealm: !atLeast(v, '0.24.0'),
    basicAuthCookie: atLeast(v, '0.24.0'),
    plusForSpace: !atLeast(v, '2.0.0'),
    fileRevisions: atLeast(v, '1.2.0'),
    reservedFlowIds: !atLeast(v, '2.0.0'),
    legacyFlowKeys: !atLeast(v, '2.0.0'),
    checksKey: atLeast(v, '1.1.0'),
    workerSelector: atLeast(v, '2.0.0'),
    genericBulk: atLeast(v, '1.0.0'),
    jsonFlowHandlers: !atLeast(v, '2.0.0'),
    strictUpdate: atLeast(v, '2.0.0'),
    updatedField: atLeast(v, '1.3.0'),
    legacyFlowSearch: edition === 'EE' ? !atLeast(v, '1.3.0') : !atLeast(v, '2.0.0'),
    flowSearchFilters: atLeast(v, '1.3.0'),
    problemDetails: atLeast(v, '2.0.0'),
    pluginDefaultsKey: !atLeast(v, '2.0.0'),
    triggerConditions: !atLeast(v, '2.0.0'),
    removedCoreTypes: !atLeast(v, '2.0.0'),
  };
}
