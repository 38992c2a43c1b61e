import { rename } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';

/** A settings or credentials file that could not be read; it was moved aside. */
export interface StoreNotice {
  message: string;
}

/**
 * Opens a conf store in `dir` (file `<name>.json`, mode 0600). conf throws on a corrupt
 * file, and its `clearInvalidConfig` would silently wipe it (a valid token was lost that
 * way): instead the file is renamed to `<name>.json.corrupt-<time>` and the user is told.
 */
export async function openConfStore<T extends Record<string, unknown>>(
  dir: string,
  name: string,
  notices: string[],
  now: Date = new Date(),
): Promise<Conf<T>> {
  const open = () => new Conf<T>({ cwd: dir, configName: name, configFileMode: 0o600, clearInvalidConfig: false, projectSuffix: '' });
  try {
    return open();
  } catch (error) {
    const file = join(dir, `${name}.json`);
    if (!existsSync(file)) throw error;
    const aside = `${file}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
    await rename(file, aside);
    notices.push(`${file} could not be read (${(error as Error).message.split('\n')[0]}). It was kept as ${aside}; starting fresh.`);
    return open();
  }
}
