/**
 * Plex's default wire format: what a `MediaContainer` looks like as XML when the client did not
 * ask for JSON (PLEX.md §1). Scalars become attributes, arrays and objects child elements; items
 * are `Video` (films, episodes) or `Directory` (shows, seasons, sections) as on a real server.
 */

function escape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The element name of one entry of a JSON array named `key`. */
function tagOf(key: string, entry: Record<string, unknown>): string {
  if (key === 'Metadata') return entry.type === 'movie' || entry.type === 'episode' ? 'Video' : 'Directory';
  return key;
}

function element(tag: string, value: Record<string, unknown>): string {
  const attributes: string[] = [];
  const children: string[] = [];
  for (const [key, entry] of Object.entries(value)) {
    if (entry === undefined || entry === null) continue;
    if (Array.isArray(entry)) {
      for (const item of entry) if (typeof item === 'object' && item !== null) children.push(element(tagOf(key, item as Record<string, unknown>), item as Record<string, unknown>));
    } else if (typeof entry === 'object') {
      children.push(element(key, entry as Record<string, unknown>));
    } else {
      const text = typeof entry === 'boolean' ? (entry ? '1' : '0') : String(entry);
      attributes.push(` ${key}="${escape(text)}"`);
    }
  }
  const open = `<${tag}${attributes.join('')}`;
  return children.length === 0 ? `${open} />` : `${open}>\n${children.join('\n')}\n</${tag}>`;
}

/** `{"MediaContainer":{…}}` as Plex's XML document. */
export function toXml(document: { MediaContainer: Record<string, unknown> }): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element('MediaContainer', document.MediaContainer)}\n`;
}
