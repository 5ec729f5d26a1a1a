import type { Session } from './session';

// Ctrl+C and SIGTERM end a run the safe way: restore first, then exit 3. A
// second Ctrl+C while restoring says what is happening instead of abandoning
// faults; a third exits at once and the journal keeps the undos for
// `chaosdeck restore`.

/** Installs the handlers; returns a function that removes them. */
export function installSignalHandlers(session: Session, warn: (text: string) => void): () => void {
  let count = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    count++;
    if (count === 1) {
      warn(`${signal}: restoring every fault before exiting…`);
      void session.close('interrupted');
    } else if (count === 2) {
      warn('Still restoring. Press Ctrl+C again to exit now; `chaosdeck restore` will finish the job.');
    } else {
      process.exit(4);
    }
  };
  const onCrash = (error: unknown) => {
    warn(`internal error: ${error instanceof Error ? error.message : String(error)} — restoring before exit`);
    void session.close('interrupted').finally(() => process.exit(3));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  };
}
