// Which namespace files may travel in a zip batch (docs/kestra-api.md#zip-uploads). Pure, so that the
// apply stage sorts files with the same rule the client enforces.

/**
 * Names whose extracted path is the name itself on every version. Up to 1.3 the server reads an entry as
 * `URI.create("/" + name)`, not as it reads `path`: a space (or another character a URI may not hold) fails
 * the request, and `%`, `?` and `#` change the path. A 2.0 development source reads entries as it reads
 * `path`; for 2.0 GA that is UNCONFIRMED (docs/kestra-api.md#zip-uploads). So an entry holds only letters,
 * digits and the URI characters every version keeps; a path with a space or anything else goes as a plain
 * upload, which each version stores as it stores every `path` (docs/kestra-api.md#file-paths).
 */
const KEPT_AS_IS = /^\/[\p{L}\p{M}\p{N}._~!$&'()*+,;=:@/-]+$/u;

/** `/_flows` holds the namespace's flows: an upload there, zipped or not, is imported as a flow. */
export const isFlowsPath = (path: string): boolean => /^\/_flows(\/|$)/.test(path);

/**
 * Whether the file at `path` (`/a/b.txt`) may be an entry of a zip batch. Never under `/_flows`; never a
 * `.zip` itself, which goes alone under a part name that is not extracted, as it always has.
 */
export function batchable(path: string): boolean {
  const segments = path.split('/').slice(1);
  return (
    KEPT_AS_IS.test(path) &&
    segments.every((s) => s !== '' && s !== '.' && s !== '..') &&
    !isFlowsPath(path) &&
    !/\.zip$/i.test(path)
  );
}
