import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** How the stand-in behaves: a compliant mpv, an old one, one that never answers, one without --input-ipc-client. */
export type FakeMpvMode = 'compliant' | 'old' | 'silent' | 'no-ipc-client';

// CommonJS on purpose: the temp directory has no package.json saying "module".
const SCRIPT = `
const fs = require('node:fs');
const net = require('node:net');
const [mode, record] = [process.env.FAKE_MPV_MODE, process.env.FAKE_MPV_RECORD];
const seen = { pid: process.pid, argv: process.argv.slice(2), commands: [] };
const save = () => fs.writeFileSync(record, JSON.stringify(seen));
save();
if (mode === 'no-ipc-client') {
  console.log('Error parsing option input-ipc-client (option not found)');
  console.log('Setting commandline option --input-ipc-client=fd://3 failed.');
  console.log('Exiting... (Fatal error)');
  process.exit(1);
}
const socket = new net.Socket({ fd: 3, readable: true, writable: true });
socket.on('error', () => process.exit(0));
socket.on('close', () => process.exit(0));
setInterval(() => {}, 1000);
let carry = '';
let entries = 0;
socket.on('data', (chunk) => {
  carry += chunk;
  let newline;
  while ((newline = carry.indexOf('\\n')) !== -1) {
    const request = JSON.parse(carry.slice(0, newline));
    carry = carry.slice(newline + 1);
    seen.commands.push(request.command);
    save();
    if (mode === 'silent') continue;
    const [name, property] = Array.isArray(request.command) ? request.command : [request.command.name];
    let data;
    if (name === 'get_property' && property === 'mpv-version') data = mode === 'old' ? 'mpv 0.32.0' : 'mpv 0.35.1';
    if (name === 'loadfile') data = { playlist_entry_id: ++entries };
    socket.write(JSON.stringify({ request_id: request.request_id, error: 'success', data }) + '\\n');
    if (name === 'quit') setTimeout(() => process.exit(0), 10);
  }
});
`;

/** Writes an executable stand-in for mpv into `dir`; it records its argv and every IPC command. */
export async function writeFakeMpv(dir: string): Promise<{ path: string; env: (mode: FakeMpvMode) => NodeJS.ProcessEnv; seen: () => Promise<{ pid: number; argv: string[]; commands: unknown[] }> }> {
  const path = join(dir, 'mpv');
  const record = join(dir, 'seen.json');
  await writeFile(path, `#!${process.execPath}\n${SCRIPT}`);
  await chmod(path, 0o755);
  return {
    path,
    env: (mode) => ({ ...process.env, FAKE_MPV_MODE: mode, FAKE_MPV_RECORD: record }),
    seen: async () => JSON.parse(await readFile(record, 'utf8')),
  };
}
