// What the deck shows about a running share, independent of the run's state:
// the follow URL, the token, the presenter's notes link and a QR code of the
// URL. The share hook publishes it here; the deck (or any view) subscribes —
// the shape works with React's useSyncExternalStore.

/** A running share, as the deck shows it. */
export interface ShareInfo {
  /** `http://HOST:PORT/?token=TOKEN`: what the room opens (browser) or passes to `chaosdeck follow`. */
  readonly url: string;
  /** The audience token, shown as `token: TOKEN`. */
  readonly token: string;
  /** The presenter-notes command for the presenter's own laptop; never projected by the audience view. */
  readonly notesCommand: string;
  readonly presenterToken: string;
  /** `HOST:PORT` actually bound. */
  readonly bind: string;
  /** False when the server is reachable from the network. */
  readonly isLoopback: boolean;
  /** The URL as a QR code in half-block characters with explicit black-on-white colours (ANSI), lines joined by `\n`. */
  readonly qr: string;
  /** The same code without colours: `█` for dark modules, for themes that cannot use ANSI (mono). */
  readonly qrPlain: string;
}

/** The lines the headless CLI prints, and a fallback for any view: URL, token, bind warning. */
export function shareInfoLines(info: ShareInfo): string[] {
  return [
    `follow: ${info.url}`,
    `token: ${info.token}`,
    `presenter notes: ${info.notesCommand}`,
    ...(info.isLoopback ? [`(only this machine can follow; use --bind 0.0.0.0:${info.bind.split(':').pop()} to share with the room)`] : []),
  ];
}

let current: ShareInfo | null = null;
const listeners = new Set<() => void>();

/** The running share, or null. */
export function currentShareInfo(): ShareInfo | null {
  return current;
}

/** Calls `listener` when a share starts or stops; returns the unsubscribe. */
export function subscribeShareInfo(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Sets (or clears, with null) the running share. */
export function publishShareInfo(info: ShareInfo | null): void {
  current = info;
  for (const listener of [...listeners]) listener();
}
