import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROUTES, type DemoServer } from '../../src/demo/index.js';
import { useDemoServer } from '../helpers/demo-server.js';
import { raw, rawSignIn } from '../helpers/demo-http.js';

interface Schema {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  enum?: unknown[];
  allOf?: Schema[];
  items?: Schema;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
}

interface Spec {
  paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>>;
  components: { schemas: Record<string, Schema> };
}

function loadSpec(version: string): Spec {
  return JSON.parse(readFileSync(`/work/shared/fixtures/jellyfin-openapi/jellyfin-openapi-${version}.json`, 'utf8')) as Spec;
}

const spec = loadSpec('10.11.11');

describe('the demo server against the 10.11.11 OpenAPI document', () => {
  const operations = ROUTES.flatMap((route) => route.methods.map((method) => [method, route.path, route.anonymous ?? false] as const));

  it.each(operations)('%s %s exists in the spec', (method, path) => {
    expect(Object.keys(spec.paths[path] ?? {})).toContain(method.toLowerCase());
  });

  it.each(operations)('%s %s needs a token exactly when the spec lists security', (method, path, anonymous) => {
    const security = spec.paths[path]?.[method.toLowerCase()]?.security ?? [];
    expect(security.length > 0).toBe(!anonymous);
  });
});

/** Where a JSON value breaks a schema of the document: wrong types, unknown properties, values outside an enum. */
function violations(document: Spec, value: unknown, schema: Schema, at = '$'): string[] {
  if (schema.$ref !== undefined) return violations(document, value, document.components.schemas[schema.$ref.replace('#/components/schemas/', '')] ?? {}, at);
  if (value === null) return schema.nullable ? [] : [`${at} is null`];
  const found = (schema.allOf ?? []).flatMap((part) => violations(document, value, part, at));
  if (schema.enum && !schema.enum.includes(value)) found.push(`${at} = ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`);
  const actual = Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
  if (schema.type !== undefined && schema.type !== actual && !(schema.type === 'number' && actual === 'integer')) return [...found, `${at} is ${actual}, not ${schema.type}`];
  if (Array.isArray(value) && schema.items) value.forEach((entry, index) => found.push(...violations(document, entry, schema.items!, `${at}[${index}]`)));
  if (actual === 'object' && !Array.isArray(value)) {
    for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
      const property = schema.properties?.[key];
      if (property) found.push(...violations(document, entry, property, `${at}.${key}`));
      else if (typeof schema.additionalProperties === 'object') found.push(...violations(document, entry, schema.additionalProperties, `${at}.${key}`));
      else if (schema.additionalProperties === false) found.push(`${at}.${key} is not in the schema`);
    }
  }
  return found;
}

const TV = 'MediaBrowser Client="tv", Device="living-room", DeviceId="tv-1", Version="2.0"';

/** One answer of each endpoint added for Quick Connect, media segments and multi-track media. */
async function answers(demo: DemoServer): Promise<Array<{ method: string; path: string; status: number; json: unknown }>> {
  const token = await rawSignIn(demo, 'phone-1');
  const episode = demo.library.first('Episode', (item) => item.indexNumber === 2);
  const started = await raw(demo, 'POST', '/QuickConnect/Initiate', { headers: { authorization: TV } });
  const { Secret: secret, Code: code } = started.json as { Secret: string; Code: string };
  const replies = [
    { method: 'get', path: '/QuickConnect/Enabled', reply: await raw(demo, 'GET', '/QuickConnect/Enabled') },
    { method: 'post', path: '/QuickConnect/Initiate', reply: started },
    { method: 'post', path: '/QuickConnect/Authorize', reply: await raw(demo, 'POST', `/QuickConnect/Authorize?code=${code}`, { token }) },
    { method: 'get', path: '/QuickConnect/Connect', reply: await raw(demo, 'GET', `/QuickConnect/Connect?secret=${secret}`) },
    { method: 'post', path: '/Users/AuthenticateWithQuickConnect', reply: await raw(demo, 'POST', '/Users/AuthenticateWithQuickConnect', { body: { Secret: secret } }) },
    { method: 'get', path: '/MediaSegments/{itemId}', reply: await raw(demo, 'GET', `/MediaSegments/${episode.id}`, { token }) },
    {
      method: 'post',
      path: '/Items/{itemId}/PlaybackInfo',
      reply: await raw(demo, 'POST', `/Items/${episode.id}/PlaybackInfo`, { token, body: { DeviceProfile: { SubtitleProfiles: [{ Format: 'srt', Method: 'External' }] } } }),
    },
  ];
  return replies.map(({ method, path, reply }) => ({ method, path, status: reply.status, json: reply.json }));
}

describe.each([
  ['10.11.11', useDemoServer()],
  ['12.0.0', useDemoServer({ version: '12.0.0' })],
] as const)('new endpoints answer what the %s OpenAPI document describes', (version, demo) => {
  const document = loadSpec(version);

  it('for Quick Connect, media segments and PlaybackInfo with several tracks', async () => {
    for (const { method, path, status, json } of await answers(demo())) {
      expect(status, `${method} ${path}`).toBe(200);
      const schema = document.paths[path]?.[method]?.responses['200']?.content?.['application/json']?.schema;
      expect(schema, `${method} ${path} has a JSON answer in the spec`).toBeDefined();
      expect(violations(document, json, schema!), `${method} ${path}`).toEqual([]);
    }
  });
});
