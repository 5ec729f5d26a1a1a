import { registerRunHook } from '../cli/run-hooks';
import { DeckError } from '../engine/errors';
import { parseBind } from './address';
import { stateDir } from '../engine/state-dir';
import { removePresenterShare, writePresenterShare } from './presenter-file';
import { publishShareInfo, shareInfoLines } from './share-info';

// `--share [--bind HOST:PORT]` on `run` and `present`: a share server hangs
// off the run's stream for as long as the run lasts. The follow URL, token and
// QR code go to stderr before a headless run starts; the deck draws them from
// the published share info instead. The server closes after the run's outcome.

registerRunHook(async ({ io, values, isDeck }) => {
  if (values.share !== true) {
    if (typeof values.bind === 'string') io.stderr.write('chaosdeck: --bind has no effect without --share\n');
    return null;
  }
  let bind;
  try {
    bind = parseBind(typeof values.bind === 'string' ? values.bind : undefined);
  } catch (error) {
    throw new DeckError('USAGE', (error as Error).message, { cause: error });
  }
  // Loaded only when sharing: a run without --share never compiles ws or qrcode.
  const { startShareServer } = await import('./server');
  const server = await startShareServer({ bind }).catch((error: NodeJS.ErrnoException) => {
    const hint = error.code === 'EADDRINUSE' ? ` — port ${bind.port} is taken; pick another with --bind ${bind.host}:PORT` : '';
    throw new DeckError('UNSUPPORTED', `could not start sharing on ${bind.host}:${bind.port}: ${error.message}${hint}`, { cause: error });
  });
  if (server.warning) io.stderr.write(`chaosdeck: warning: ${server.warning}\n`);
  const base = new URL('/', server.info.url).href;
  // The deck shows the URL, token and QR itself; printing them would leave the
  // presenter token on the projected terminal after it exits.
  if (isDeck) writePresenterShare(stateDir(io.env), base, server.info.presenterToken);
  else io.stderr.write(`${shareInfoLines(server.info).join('\n')}\n${server.info.qr}\n`);
  publishShareInfo(server.info);
  return {
    sinks: [server.sink],
    async close() {
      publishShareInfo(null);
      if (isDeck) removePresenterShare(stateDir(io.env), base);
      await server.close();
    },
  };
});
