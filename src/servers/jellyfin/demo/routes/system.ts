import type { PublicSystemInfo, SystemInfo } from '@jellyfin/sdk/lib/generated-client/models/index.js';
import type { DemoState } from '../context.js';
import { json } from '../reply.js';
import type { Route } from '../router.js';

/** `SystemManager.GetPublicSystemInfo`: what anyone may read before signing in. */
function publicSystemInfo(state: DemoState): PublicSystemInfo {
  return {
    LocalAddress: state.url(),
    ServerName: state.serverName,
    Version: state.version,
    ProductName: 'Jellyfin Server',
    OperatingSystem: '',
    Id: state.serverId,
    StartupWizardCompleted: true,
  };
}

/**
 * `SystemManager.GetSystemInfo`: the public part plus the server's state, every field the
 * `SystemInfo` schema of the 10.11.11 and 12.0.0 OpenAPI documents lists, with the demo's values.
 * The deprecated path fields (`ProgramDataPath`, `WebPath`, `LogPath`, …) are left out (null,
 * so omitted): the demo server keeps no such directories. `WebSocketPortNumber` is
 * `IServerApplicationHost.HttpPort`, the port the demo listens on; no plugins are installed
 * and no cast receivers configured.
 */
function systemInfo(state: DemoState): SystemInfo {
  return {
    ...publicSystemInfo(state),
    OperatingSystemDisplayName: '',
    HasPendingRestart: false,
    IsShuttingDown: false,
    SupportsLibraryMonitor: true,
    WebSocketPortNumber: Number(new URL(state.url()).port),
    CompletedInstallations: [],
    CanSelfRestart: true,
    CanLaunchWebBrowser: false,
    CastReceiverApplications: [],
    HasUpdateAvailable: false,
    EncoderLocation: 'System',
    SystemArchitecture: process.arch === 'arm64' ? 'Arm64' : 'X64',
  };
}

/**
 * `SystemController`: `/System/Ping` and `/System/Info/Public` are anonymous (Ping answered even
 * while "starting"); `/System/Info` needs a token (`[Authorize(Policy = FirstTimeSetupOrIgnoreParentalControl)]`).
 */
export const systemRoutes: Route[] = [
  {
    methods: ['GET', 'POST'],
    path: '/System/Ping',
    anonymous: true,
    handle: () => json('Jellyfin Server'),
  },
  {
    methods: ['GET'],
    path: '/System/Info/Public',
    anonymous: true,
    handle: (_request, state) => json(publicSystemInfo(state)),
  },
  {
    methods: ['GET'],
    path: '/System/Info',
    handle: (_request, state) => json(systemInfo(state)),
  },
];
