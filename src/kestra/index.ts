// The Kestra client's public surface: the rest of the project imports from here (or api.ts for types).
export * from './api.js';
export { authorizationValue, connect } from './connect.js';
export { KestraError, type ErrorDetail } from './errors.js';
export { normaliseServer, parseVersion } from './paths.js';
