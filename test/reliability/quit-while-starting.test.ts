import { describe, expect, it } from 'vitest';
import { StartCancelledError } from '../../src/commands/services.js';
import { useDemoServer } from '../helpers/demo-server.js';
import { demoServices } from '../helpers/tui-services.js';

// `q` while mpv is starting stops the playback (`stopPlayback`). Against a server that stalls,
// the start waited for its requests' timeout (10 s by default) before the quit could go on,
// past the "Syncing… (up to N s)" the quit shows. The stall comes before mpv is launched, so the
// fake player of the screen tests stands in for mpv here (no mpv is ever asked for).

const server = useDemoServer();

describe('stopping a playback that is still starting', () => {
  it('gives up on a stalled server at once, launches nothing, queues nothing, and lets the next play start', async () => {
    // Given a server that answers nothing, and requests that would wait a minute for it
    const demo = server();
    const { services, outbox, players } = await demoServices(demo, { timeoutMs: 60_000 });
    const film = (await services.library.items({ includeItemTypes: ['Movie'], recursive: true, limit: 5 })).items[0]!;
    demo.faults.stall();

    // When a play starts and the user quits while it waits for the server
    const starting = services.play(film, 0);
    const rejected = expect(starting).rejects.toBeInstanceOf(StartCancelledError);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // (without the cancel, this waits for the minute's timeout and the test's own timeout fails it)
    await services.stopPlayback();

    // Then the start ended as stopped, mpv was never launched and nothing was queued for the server
    await rejected;
    expect(players).toHaveLength(0);
    expect(outbox.pendingOps()).toEqual([]);

    // And once the server answers, a new play starts (the stopped start no longer counts as playing)
    demo.faults.clear();
    const controls = await services.play(film, 0);
    expect(players).toHaveLength(1);
    controls.stop();
    await controls.ended;
    await outbox.close();
  }, 20_000);
});
