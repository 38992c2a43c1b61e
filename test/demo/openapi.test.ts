import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROUTES, type DemoServer } from '../../src/servers/jellyfin/demo/index.js';
import { useDemoServer } from '../helpers/demo-server.js';
import { raw, rawSignIn } from '../helpers/demo-http.js';
import { locateOpenApiFixtures, PROJECT_ROOT } from './openapi-fixtures.js';

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

const fixtures = locateOpenApiFixtures();
if (fixtures.skipNote !== undefined) console.warn(fixtures.skipNote);

function loadSpec(version: string): Spec {
  return JSON.parse(readFileSync(join(fixtures.dir, `jellyfin-openapi-${version}.json`), 'utf8')) as Spec;
}

describe('finding the OpenAPI documents', () => {
  it('looks in ../shared/fixtures/jellyfin-openapi/ beside the project root, not at an absolute path', () => {
    expect(fixtures.dir).toBe(resolve(PROJECT_ROOT, '..', 'shared', 'fixtures', 'jellyfin-openapi'));
  });

  it('in a clone without them, says to skip and names the folder it looked in', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'reelterm-clone-'));
    const clone = locateOpenApiFixtures(join(parent, 'reelterm'));
    expect(clone.available).toBe(false);
    expect(clone.skipNote).toContain(join(parent, 'shared', 'fixtures', 'jellyfin-openapi'));
  });
});

const modernRoutes = ROUTES.filter((route) => route.legacy === undefined);
const legacyRoutes = ROUTES.filter((route) => route.legacy !== undefined);

describe.skipIf(!fixtures.available)('the demo server against the 10.11.11 OpenAPI document', () => {
  const spec = fixtures.available ? loadSpec('10.11.11') : { paths: {}, components: { schemas: {} } };
  const operations = modernRoutes.flatMap((route) => route.methods.map((method) => [method, route.path, route.anonymous ?? false] as const));
  const legacyOperations = legacyRoutes.flatMap((route) => route.methods.map((method) => [method, route.path, route.legacy!.mirrors, route.legacy!.modern, route.anonymous ?? false] as const));

  it.each(operations)('%s %s exists in the spec', (method, path) => {
    expect(Object.keys(spec.paths[path] ?? {})).toContain(method.toLowerCase());
  });

  // Jellyfin hides these from its document ([Obsolete] + [ApiExplorerSettings(IgnoreApi = true)]),
  // so there is nothing to find them in; the next test checks them against their modern twin.
  it.skip.each(legacyOperations)('%s %s exists in the spec (skipped: a legacy twin, %s, hidden from the document)', () => {});

  it.each(legacyOperations)('%s %s (%s) is absent from the spec, and its modern route %s is there with the same security', (method, path, _mirrors, modern, anonymous) => {
    const listed = Object.entries(spec.paths).filter(([documented]) => documented.toLowerCase() === path.toLowerCase());
    expect(listed.flatMap(([, methods]) => Object.keys(methods))).not.toContain(method.toLowerCase());
    const modernMethods = modernRoutes.filter((route) => route.path === modern).flatMap((route) => route.methods);
    expect(modernMethods.length).toBeGreaterThan(0);
    for (const modernMethod of modernMethods) {
      const operation = spec.paths[modern]?.[modernMethod.toLowerCase()];
      expect(operation, `${modernMethod} ${modern}`).toBeDefined();
      expect((operation?.security ?? []).length > 0).toBe(!anonymous);
    }
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

/** One answer of each endpoint added for Quick Connect, media segments, multi-track media and other clients. */
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
    { method: 'get', path: '/System/Info', reply: await raw(demo, 'GET', '/System/Info', { token }) },
    { method: 'get', path: '/Items/Latest', reply: await raw(demo, 'GET', '/Items/Latest?limit=12', { token }) },
    { method: 'get', path: '/Items/Latest', reply: await raw(demo, 'GET', '/Items/Latest?groupItems=false&limit=3&fields=Overview', { token }) },
    { method: 'get', path: '/Videos/{itemId}/AdditionalParts', reply: await raw(demo, 'GET', `/Videos/${episode.id}/AdditionalParts`, { token }) },
    { method: 'get', path: '/UserViews', reply: await raw(demo, 'GET', '/UserViews', { token }) },
  ];
  return replies.map(({ method, path, reply }) => ({ method, path, status: reply.status, json: reply.json }));
}

describe.skipIf(!fixtures.available).each([
  ['10.11.11', useDemoServer()],
  ['12.0.0', useDemoServer({ version: '12.0.0' })],
] as const)('new endpoints answer what the %s OpenAPI document describes', (version, demo) => {
  const document = fixtures.available ? loadSpec(version) : { paths: {}, components: { schemas: {} } };

  it('for Quick Connect, media segments, PlaybackInfo with several tracks, System/Info, Items/Latest, AdditionalParts and UserViews', async () => {
    for (const { method, path, status, json } of await answers(demo())) {
      expect(status, `${method} ${path}`).toBe(200);
      const schema = document.paths[path]?.[method]?.responses['200']?.content?.['application/json']?.schema;
      expect(schema, `${method} ${path} has a JSON answer in the spec`).toBeDefined();
      expect(violations(document, json, schema!), `${method} ${path}`).toEqual([]);
    }
  });
});
