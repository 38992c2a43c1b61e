import type { IncomingMessage } from 'node:http';

/** Query parameters with ASP.NET's binding rules: names case-insensitive, lists by comma or repetition. */
export class QueryParams {
  private readonly values = new Map<string, string[]>();
  private readonly raw: Array<[string, string]>;

  constructor(search: URLSearchParams) {
    this.raw = [...search];
    for (const [name, value] of this.raw) {
      const key = name.toLowerCase();
      const list = this.values.get(key);
      if (list) list.push(value);
      else this.values.set(key, [value]);
    }
  }

  /** The first value of a parameter. */
  get(name: string): string | undefined {
    return this.values.get(name.toLowerCase())?.[0];
  }

  /** A comma-delimited or repeated list, empty entries dropped. */
  list(name: string): string[] {
    return (this.values.get(name.toLowerCase()) ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  }

  /** Every value of a repeated parameter, as sent (no comma splitting), empty ones dropped. */
  all(name: string): string[] {
    return (this.values.get(name.toLowerCase()) ?? []).filter((v) => v !== '');
  }

  /** Every parameter as sent (name and value). For the journal. */
  entries(): Array<[string, string]> {
    return [...this.raw];
  }
}

/** A request that is not what the endpoint accepts: ASP.NET answers 400 (or 415). */
export class BadRequest extends Error {
  constructor(
    message: string,
    readonly status: 400 | 415 = 400,
  ) {
    super(message);
  }
}

/** Reads the whole request body (bodies here are small JSON documents). */
export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Parses a `[FromBody]` JSON document: a body needs `Content-Type: application/json` (415
 * otherwise) and must parse (400). Property names are matched case-insensitively later.
 */
export function parseJsonBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  if (!/^application\/([\w.+-]*\+)?json\b/i.test(contentType ?? '')) throw new BadRequest('Unsupported Media Type', 415);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BadRequest('The request body is not valid JSON');
  }
}

/** A JSON body's properties, read case-insensitively as System.Text.Json's web defaults do. */
export class JsonFields {
  private readonly fields = new Map<string, unknown>();

  constructor(body: unknown) {
    if (body === undefined) throw new BadRequest('A non-empty request body is required.');
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequest('The request body must be a JSON object');
    for (const [key, value] of Object.entries(body)) this.fields.set(key.toLowerCase(), value);
  }

  private raw(name: string): unknown {
    const value = this.fields.get(name.toLowerCase());
    return value === null ? undefined : value;
  }

  /** A string property. */
  string(name: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new BadRequest(`${name} must be a string`);
    return value;
  }

  /** A whole number; numeric strings are accepted (`NumberHandling.AllowReadingFromString`). */
  integer(name: string): number | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isSafeInteger(number)) throw new BadRequest(`${name} must be an integer`);
    return number;
  }

  /** Any number. */
  number(name: string): number | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isFinite(number)) throw new BadRequest(`${name} must be a number`);
    return number;
  }

  /** A nested object, read like the body. */
  object(name: string): JsonFields | undefined {
    const value = this.raw(name);
    return value === undefined ? undefined : new JsonFields(value);
  }

  /** An array of objects, each read like the body; null entries are skipped. */
  objects(name: string): JsonFields[] {
    const value = this.raw(name);
    if (value === undefined) return [];
    if (!Array.isArray(value)) throw new BadRequest(`${name} must be an array`);
    return value.filter((entry) => entry !== null).map((entry: unknown) => new JsonFields(entry));
  }

  /** A JSON boolean. */
  boolean(name: string): boolean | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') throw new BadRequest(`${name} must be true or false`);
    return value;
  }
}
