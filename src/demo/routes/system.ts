import type { PublicSystemInfo } from '@jellyfin/sdk/lib/generated-client/models/index.js';
import { json } from '../reply.js';
import type { Route } from '../router.js';

/** `/System/Ping` and `/System/Info/Public`: anonymous, answered even while "starting" (Ping). */
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
    handle: (_request, state) => {
      const info: PublicSystemInfo = {
        LocalAddress: state.url(),
        ServerName: state.serverName,
        Version: state.version,
        ProductName: 'Jellyfin Server',
        OperatingSystem: '',
        Id: state.serverId,
        StartupWizardCompleted: true,
      };
      return json(info);
    },
  },
];
