import { describe, expect, it } from 'vitest';
import { JellyfinClient } from '../../src/servers/jellyfin/client.js';
import { checkServer, parseServerAddress } from '../../src/servers/jellyfin/server-address.js';
import { useDemoServer } from '../helpers/demo-server.js';
import { startBasePathProxy, startNotFound, startWebPage } from '../helpers/other-servers.js';
import { freePort } from '../helpers/terminal.js';

const server = useDemoServer();

const EXAMPLE = 'e.g. https://jellyfin.example.com or http://192.168.1.10:8096';

function clientFor(url: string): JellyfinClient {
  return new JellyfinClient({ serverUrl: url, deviceId: 'test-device', deviceName: 'test-host', clientVersion: '0.1.0', timeoutMs: 5_000 });
}

describe('parseServerAddress', () => {
  it.each([
    ['jf.local:8096', 'http://jf.local:8096'],
    ['  https://jf.example.com/  ', 'https://jf.example.com'],
    ['http://192.168.1.10:8096/web/index.html', 'http://192.168.1.10:8096'],
    ['http://192.168.1.10:8096/web/#/home.html', 'http://192.168.1.10:8096'],
    ['http://jf.local:8096/web/index.html#!/details?id=abc', 'http://jf.local:8096'],
    ['https://example.org/jellyfin', 'https://example.org/jellyfin'],
    ['https://example.org/jellyfin/web/index.html#/home.html', 'https://example.org/jellyfin'],
    ['https://example.org/website', 'https://example.org/website'],
    ['HTTP://JF.LOCAL:8096/WEB/', 'http://jf.local:8096'],
    ['http://ann:pw@jf.local:8096?x=1', 'http://jf.local:8096'],
    ['[::1]:8096', 'http://[::1]:8096'],
  ])('reads %j as the server at %s', (typed, url) => {
    expect(parseServerAddress(typed)).toEqual({ url });
  });

  it.each([
    ['', `Enter the server's address, ${EXAMPLE}.`],
    ['   ', `Enter the server's address, ${EXAMPLE}.`],
    ['http//jf.local:8096', `"http//jf.local:8096" is not a server address: it should start with http:// or https:// (${EXAMPLE}).`],
    ['https:/jf.local', `"https:/jf.local" is not a server address: it should start with http:// or https:// (${EXAMPLE}).`],
    ['jelly fin.local', `"jelly fin.local" is not a server address: it has a space in it (${EXAMPLE}).`],
    ['ftp://jf.local', `"ftp://jf.local" is not an http or https address (${EXAMPLE}).`],
    ['jf.local:99999', `"jf.local:99999" is not a server address (${EXAMPLE}).`],
    ['http://', `"http://" is not a server address (${EXAMPLE}).`],
  ])('refuses %j: %s', (typed, error) => {
    expect(parseServerAddress(typed)).toEqual({ error });
  });
});

describe('checkServer', () => {
  it('knows Jellyfin by its public server info', async () => {
    const check = await checkServer(clientFor(server().url));
    expect(check).toMatchObject({ ok: true, info: { productName: 'Jellyfin Server' } });
  });

  it('finds Jellyfin under a base path, where a reverse proxy serves it', async () => {
    const proxy = await startBasePathProxy(server().url, '/jellyfin');
    expect(await checkServer(clientFor(`${proxy.url}/jellyfin`))).toMatchObject({ ok: true });
    expect(await checkServer(clientFor(proxy.url))).toEqual({
      ok: false,
      error: `${proxy.url} answered 404 (not found), not Jellyfin: this is not a Jellyfin server (Jellyfin listens on port 8096 unless it was changed), or not its base address.`,
      why: 'other',
    });
  });

  it('says a web page answered, not Jellyfin', async () => {
    const page = await startWebPage();
    expect(await checkServer(clientFor(page.url))).toEqual({
      ok: false,
      error: `${page.url} answered with a web page, not Jellyfin: this is not a Jellyfin server (Jellyfin listens on port 8096 unless it was changed).`,
      why: 'other',
    });
    expect(page.requests).toEqual([{ method: 'GET', url: '/System/Info/Public' }]);
  });

  it('says what answered 404 everywhere is not Jellyfin', async () => {
    const other = await startNotFound();
    const check = await checkServer(clientFor(other.url));
    expect(check).toEqual({ ok: false, why: 'other', error: expect.stringMatching(new RegExp(`^${other.url} answered 404 \\(not found\\), not Jellyfin: this is not a Jellyfin server`)) });
  });

  it('says plainly when nothing listens at the address', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    expect(await checkServer(clientFor(url))).toEqual({
      ok: false,
      error: `Nothing answers at ${url} (connection refused): is Jellyfin running there, and is the port right?`,
      why: 'unreachable',
    });
  });

  it('says plainly when the host name does not exist', async () => {
    const check = await checkServer(clientFor('http://reelterm-test.invalid:8096'));
    // Without a network the resolver may not answer at all (EAI_AGAIN) instead of "no such name".
    expect(check).toMatchObject({ ok: false, error: expect.stringMatching(/^(There is no host named reelterm-test\.invalid: check the address|Could not look up reelterm-test\.invalid)/) });
  });
});
