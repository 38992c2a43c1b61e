import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { raw, rawSignIn, type RawReply } from '../helpers/demo-http.js';

const server = useDemoServer();
const UNKNOWN = '0123456789abcdef0123456789abcdef';

async function get(path: string): Promise<RawReply> {
  return raw(server(), 'GET', path, { token: await rawSignIn(server()) });
}

/** What ExceptionMiddleware writes for an exception it maps to a status. */
function exceptionAnswer(status: number) {
  return { status, contentType: expect.stringMatching(/^text\/plain/), text: 'Error processing request.' };
}

/** What [ApiController] writes for a bare NotFound() or a request that fails model binding. */
function problemAnswer(status: number, title: string) {
  return { status, contentType: expect.stringMatching(/^application\/problem\+json/), json: expect.objectContaining({ status, title }) };
}

describe('errors thrown inside Jellyfin: ExceptionMiddleware\'s text/plain body', () => {
  it('answers an unknown parentId with 400 (LibraryManager.GetParentItem throws an ArgumentException)', async () => {
    expect(await get(`/Items?parentId=${UNKNOWN}`)).toMatchObject(exceptionAnswer(400));
    expect(await get(`/Items?parentId=${UNKNOWN}&recursive=true&includeItemTypes=Movie`)).toMatchObject(exceptionAnswer(400));
  });

  it('answers another user\'s userId with 403 (RequestHelpers.GetUserId throws a SecurityException)', async () => {
    expect(await get(`/Items?userId=${UNKNOWN}`)).toMatchObject(exceptionAnswer(403));
  });
});

describe('controller results: ProblemDetails for NotFound(), a JSON string for NotFound("…")', () => {
  it('answers an unknown item or series with a ProblemDetails 404 that carries no detail', async () => {
    for (const path of [`/Items/${UNKNOWN}`, `/Shows/${UNKNOWN}/Seasons`]) {
      const reply = await get(path);
      expect(reply, path).toMatchObject(problemAnswer(404, 'Not Found'));
      expect(reply.json, path).not.toHaveProperty('detail');
    }
  });

  it('answers the episodes of an unknown series or season with TvShowsController\'s message as a JSON string', async () => {
    const series = server().library.first('Series');
    expect(await get(`/Shows/${UNKNOWN}/Episodes`)).toMatchObject({ status: 404, contentType: 'application/json; charset=utf-8', json: 'Series not found' });
    expect(await get(`/Shows/${UNKNOWN}/Episodes?season=1`)).toMatchObject({ status: 404, json: 'Series not found' });
    expect(await get(`/Shows/${series.id}/Episodes?seasonId=${UNKNOWN}`)).toMatchObject({
      status: 404,
      contentType: 'application/json; charset=utf-8',
      json: 'No season exists with Id 01234567-89ab-cdef-0123-456789abcdef',
    });
  });

  it('looks a seasonId up on its own: the series in the route is not checked', async () => {
    const season = server().library.first('Season');
    const reply = await get(`/Shows/${UNKNOWN}/Episodes?seasonId=${season.id}`);
    expect(reply.status).toBe(200);
    expect((reply.json.Items as Array<{ Id: string }>).map((episode) => episode.Id)).toEqual(server().library.children(season.id).map((episode) => episode.id));
  });

  it('answers a value that fails model binding with ASP.NET\'s ProblemDetails 400', async () => {
    for (const path of ['/Items?recursive=maybe', '/Items/movie-1', '/Shows/not-a-guid/Episodes', `/Items?parentId=nope`]) {
      expect(await get(path), path).toMatchObject(problemAnswer(400, 'Bad Request'));
    }
  });
});
