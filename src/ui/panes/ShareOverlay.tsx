import { Box, Text } from 'ink';
import { useLook } from '../hooks/use-look';

// How the room joins a shared deck: the follow URL, the token and a QR code
// of the URL, in a box the deck can show over its body (a key or the first
// seconds after --share). The info comes from the share server through the
// CLI (src/share/share-info.ts); this pane only draws it.

/** What the overlay draws; src/share's ShareInfo has this shape. */
export interface ShareOverlayInfo {
  /** `http://HOST:PORT/?token=TOKEN`. */
  readonly url: string;
  readonly token: string;
  /** The URL as a QR code with black-on-white ANSI colours, lines joined by `\n`. */
  readonly qr: string;
  /** The same without colours, for a mono theme (NO_COLOR). */
  readonly qrPlain: string;
  /** Only this machine can follow; the overlay says how to share with the room. */
  readonly isLoopback: boolean;
}

/** Props of the share overlay. */
export interface ShareOverlayProps {
  readonly info: ShareOverlayInfo;
  readonly width: number;
  readonly height: number;
}

/** A centred box: `Follow along`, the URL, `token: TOKEN`, and the QR code when it fits. */
export function ShareOverlay({ info, width, height }: ShareOverlayProps) {
  const { theme, glyphs } = useLook();
  const qr = (theme.isMono ? info.qrPlain : info.qr).split('\n');
  const qrWidth = Math.max(...qr.map((line) => line.replace(/\x1b\[[0-9;]*m/g, '').length)); // eslint-disable-line no-control-regex
  const notes = `Your notes, on this machine: chaosdeck follow ${new URL('/', info.url).href} --notes`;
  const boxWidth = Math.min(width - 2, Math.max(info.url.length, qrWidth, notes.length) + 4);
  const hasRoomForQr = qr.length + 8 <= height && qrWidth + 4 <= width;
  return (
    <Box width={width} height={height} alignItems="center" justifyContent="center">
      <Box width={boxWidth} flexDirection="column" borderStyle={glyphs.border} borderColor={theme.roles.border.focus.color} paddingX={1}>
        <Text {...theme.roles.text.heading}>Follow along</Text>
        <Text {...theme.roles.text.accent} wrap="truncate-middle">{info.url}</Text>
        <Text>token: <Text {...theme.roles.text.strong}>{info.token}</Text></Text>
        {hasRoomForQr ? <Box flexDirection="column" marginTop={1}>{qr.map((line, i) => <Text key={i}>{line}</Text>)}</Box> : null}
        {info.isLoopback ? <Text {...theme.roles.text.muted}>Only this machine can follow; --bind 0.0.0.0:PORT shares with the room.</Text> : null}
        <Text {...theme.roles.text.muted} wrap="truncate-middle">{notes}</Text>
      </Box>
    </Box>
  );
}
