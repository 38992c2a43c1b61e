/** reelterm's version, sent to the server in the Authorization header and shown by `--version`. */
export const VERSION = '0.1.0';
