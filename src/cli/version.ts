// The version, fixed at build time from package.json.
declare const __CHAOSDECK_VERSION__: string | undefined;

/** chaosdeck's version. */
export const VERSION: string = typeof __CHAOSDECK_VERSION__ === 'string' ? __CHAOSDECK_VERSION__ : '0.0.0-dev';
