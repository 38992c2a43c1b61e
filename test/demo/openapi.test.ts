import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../src/demo/index.js';

const spec = JSON.parse(readFileSync('/work/shared/fixtures/jellyfin-openapi/jellyfin-openapi-10.11.11.json', 'utf8')) as {
  paths: Record<string, Record<string, { security?: unknown[] }>>;
};

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
