/**
 * What a demo server's handler answers and how it goes on the wire: a status, headers and a
 * body, or a byte range of a file on disk (the clip, with HTTP Range support, as mpv seeks).
 */
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a handler answers; the server writes it (and faults may replace it). */
export interface Reply {
  status: number;
  headers?: Record<string, string | number>;
  body?: string;
  /** A byte range of a file on disk (inclusive `end`), for the video stream. */
  file?: { path: string; start: number; end: number };
}

/**
 * Reads a single `Range: bytes=…` the way ASP.NET's range processing does (and what PMS accepts
 * from mpv): a malformed or multi-range header is ignored (the whole file), a range past the end
 * is unsatisfiable.
 */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, from = '', to = ''] = match;
  if (from === '' && to === '') return undefined;
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (start >= size) return 'unsatisfiable';
  if (end < start) return undefined;
  return { start, end };
}

/**
 * A file (or the part of it a `Range` header asks for): 200 with the whole file, 206 with
 * `Content-Range`, or 416 when the range starts past the end.
 */
export function fileReply(file: { path: string; size: number }, rangeHeader: string | string[] | undefined, headers: Record<string, string | number>): Reply {
  const { path, size } = file;
  const all = { 'accept-ranges': 'bytes', ...headers };
  const range = parseRange(Array.isArray(rangeHeader) ? rangeHeader[0] : rangeHeader, size);
  if (range === 'unsatisfiable') return { status: 416, headers: { ...all, 'content-range': `bytes */${size}` } };
  if (range === undefined) return { status: 200, headers: { ...all, 'content-length': size }, file: { path, start: 0, end: size - 1 } };
  return {
    status: 206,
    headers: { ...all, 'content-length': range.end - range.start + 1, 'content-range': `bytes ${range.start}-${range.end}/${size}` },
    file: { path, ...range },
  };
}

/** Writes a reply: its headers (with a `Content-Length` for a body), then the body or the file range; nothing after the headers for HEAD. */
export function writeReply(request: IncomingMessage, response: ServerResponse, reply: Reply): void {
  const headers = { ...reply.headers };
  if (reply.file === undefined) headers['content-length'] = Buffer.byteLength(reply.body ?? '');
  response.writeHead(reply.status, headers);
  if (request.method === 'HEAD') {
    response.end();
  } else if (reply.file) {
    const file = createReadStream(reply.file.path, { start: reply.file.start, end: reply.file.end });
    file.on('error', () => response.destroy());
    file.pipe(response);
  } else {
    response.end(reply.body);
  }
}
