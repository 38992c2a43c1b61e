/**
 * The request log both demo servers keep, bounded so a long `--demo` session cannot grow it
 * forever. Each server decides what an entry holds; secrets are never among it.
 */

/** Marks a redacted secret in a journal entry. */
export const REDACTED = '[redacted]';

/** A bounded request log: the oldest entries go first. */
export class BoundedJournal<Entry> {
  readonly entries: Entry[] = [];

  constructor(private readonly limit = 10_000) {}

  /** Adds an entry and returns it, so the server can fill in the status later. */
  record(entry: Entry): Entry {
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    return entry;
  }

  /** Forgets every entry. */
  clear(): void {
    this.entries.length = 0;
  }
}
