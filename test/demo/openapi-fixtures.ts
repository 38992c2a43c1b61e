import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (this file lives in `test/demo/`). */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where the Jellyfin OpenAPI documents are looked for, and whether they are there. */
export interface OpenApiFixtures {
  /** `../shared/fixtures/jellyfin-openapi/` resolved against the project root. */
  dir: string;
  available: boolean;
  /** Why the tests that need the documents are skipped (undefined when they are not). */
  skipNote: string | undefined;
}

/**
 * Locates the OpenAPI documents beside the project (`../shared/fixtures/jellyfin-openapi/`
 * relative to the project root), never at an absolute path. In a clone without that folder the
 * tests that need them are skipped, saying where they looked.
 */
export function locateOpenApiFixtures(root: string = PROJECT_ROOT): OpenApiFixtures {
  const dir = resolve(root, '..', 'shared', 'fixtures', 'jellyfin-openapi');
  const available = existsSync(resolve(dir, 'jellyfin-openapi-10.11.11.json')) && existsSync(resolve(dir, 'jellyfin-openapi-12.0.0.json'));
  return {
    dir,
    available,
    skipNote: available ? undefined : `Skipping the OpenAPI checks: no Jellyfin OpenAPI documents in ${dir} (../shared/fixtures/jellyfin-openapi/ beside the project)`,
  };
}
