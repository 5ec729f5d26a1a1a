// The echoed command line must read exactly as what runs; quoting makes an argv
// with spaces or quotes unambiguous on screen without ever passing through a shell.

const SAFE = /^[A-Za-z0-9_@%+=:,./\-{}[\]]+$/;

/** Quotes one argument the way a POSIX shell would need it. */
export function quoteArg(arg: string): string {
  if (arg === '') return "''";
  if (SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Renders an argv as one shell-readable line. */
export function formatArgv(argv: readonly string[]): string {
  return argv.map(quoteArg).join(' ');
}
