// Content-type routing and multipart parsing. Micronaut routes on the media type alone; parameters such as
// `charset` or `boundary` do not matter. Multipart bodies are parsed by the platform's own FormData parser.
import { badRequest } from './errors.js';

/** The media type of a Content-Type header, lower case, without parameters (`''` when absent). */
export const mediaType = (contentType: string | undefined): string =>
  (contentType ?? '').split(';')[0]!.trim().toLowerCase();

export const YAML = 'application/x-yaml';
export const MULTIPART = 'multipart/form-data';

export interface Part {
  name: string;
  /** The part's filename, when it was sent as a file. */
  filename?: string;
  bytes: Buffer;
}

/** All parts of a multipart body, in order; a malformed body is a 400 as in Micronaut. */
export async function parseMultipart(body: Buffer, contentType: string): Promise<Part[]> {
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch (e) {
    throw badRequest(`Unable to parse multipart body: ${(e as Error).message}`);
  }
  const parts: Part[] = [];
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') parts.push({ name, bytes: Buffer.from(value, 'utf8') });
    else parts.push({ name, filename: value.name, bytes: Buffer.from(await value.arrayBuffer()) });
  }
  return parts;
}
