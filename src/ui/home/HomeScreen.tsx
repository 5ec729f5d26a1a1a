import { Box, Text } from 'ink';
import { useState } from 'react';
import { fit, truncate } from '../format';
import { useKeyLayers } from '../hooks/use-key-layers';
import { useLook } from '../hooks/use-look';
import { useTerminalSize } from '../hooks/use-terminal-size';
import { activeBindings, type KeyLayer } from '../keymap';
import { MIN_COLUMNS, MIN_ROWS } from '../layout';
import { Footer } from '../panes/Footer';
import { TooSmall } from '../panes/Overlays';
import { Wrapped } from '../panes/Wrapped';
import type { HomeData, HomeEntry } from './home-data';

/** Props of the home screen. */
export interface HomeScreenProps {
  readonly data: HomeData;
  /** Opens a scenario in the chosen environment profile (undefined: the pack's default). */
  readonly onOpen: (entry: HomeEntry, profile: string | undefined) => void;
  readonly onQuit: () => void;
  /** A message from the last attempt (a scenario that failed to open). */
  readonly message?: string;
  /** True while the catalog loads: the frame is drawn, the list says it is coming. */
  readonly isLoading?: boolean;
}

/** True for the scenario the learning path suggests next. */
export function isNextUp(data: HomeData, entry: HomeEntry): boolean {
  const learning = data.learning;
  if (!learning?.nextScenarioId || entry.id !== learning.nextScenarioId) return false;
  return learning.nextPack === undefined || entry.pack === learning.nextPack;
}

/** The first entry to select: the learning path's next scenario, else the first that opens. */
export function initialSelection(data: HomeData): number {
  const index = data.entries.findIndex((e) => isNextUp(data, e));
  if (index >= 0) return index;
  return Math.max(0, data.entries.findIndex((e) => !e.error));
}

/** Packs and scenarios, the learning-path position, pending faults, and an environment chooser; enter opens. */
export function HomeScreen({ data, onOpen, onQuit, message, isLoading = false }: HomeScreenProps) {
  const { theme, glyphs } = useLook();
  const { columns, rows } = useTerminalSize();
  const [selected, setSelected] = useState(() => initialSelection(data));
  const [profileIndex, setProfileIndex] = useState(0);
  const entry = data.entries[selected];
  const roles = theme.roles;
  const move = (by: number) => {
    if (data.entries.length === 0) return true;
    setSelected((s) => (s + by + data.entries.length) % data.entries.length);
    setProfileIndex(0);
    return true;
  };
  const layers: KeyLayer[] = [{
    id: 'home',
    handlers: {
      'home.up': () => move(-1),
      'home.down': () => move(1),
      'home.open': () => {
        if (!entry || entry.error) return true;
        onOpen(entry, entry.profiles[profileIndex % Math.max(1, entry.profiles.length)]);
        return true;
      },
      'home.environment': () => {
        setProfileIndex((i) => i + 1);
        return true;
      },
      'home.quit': () => {
        onQuit();
        return true;
      },
    },
  }];
  useKeyLayers(() => layers);
  if (columns < MIN_COLUMNS || rows < MIN_ROWS) return <TooSmall columns={columns} rows={rows} minColumns={MIN_COLUMNS} minRows={MIN_ROWS} />;

  const height = rows - 1;
  const listWidth = Math.min(80, Math.floor(columns * 0.55));
  const detailWidth = columns - listWidth - 2;
  const warnings = (data.pendingFaults.length > 0 ? 1 : 0) + (message ? 1 : 0);
  // Rows: title, learning line, warnings, a blank, the list (listHeight, then a blank), the footer.
  const listHeight = height - 4 - warnings - (data.learning ? 1 : 0);

  const lines: ({ kind: 'pack'; pack: string } | { kind: 'entry'; entry: HomeEntry; index: number })[] = [];
  let pack = '';
  data.entries.forEach((e, index) => {
    if (e.pack !== pack) {
      pack = e.pack;
      lines.push({ kind: 'pack', pack });
    }
    lines.push({ kind: 'entry', entry: e, index });
  });
  const cursor = lines.findIndex((l) => l.kind === 'entry' && l.index === selected);
  const start = Math.max(0, Math.min(cursor - Math.floor(listHeight / 2), lines.length - listHeight));
  const visible = lines.slice(start, start + listHeight);
  const profiles = entry?.profiles ?? [];
  const profile = profiles.length > 0 ? profiles[profileIndex % profiles.length] : undefined;

  return (
    <Box flexDirection="column" width={columns} height={height}>
      <Text wrap="truncate">
        <Text {...roles.header.title}>{fit(' chaosdeck', 11)}</Text>
        <Text {...roles.header.bar}>{fit(isLoading ? ' loading scenarios…' : ` ${data.entries.length} scenarios in ${new Set(data.entries.map((e) => e.pack)).size} packs`, columns - 11)}</Text>
      </Text>
      {data.learning ? <Text {...roles.text.accent} wrap="truncate"> Learning path: {data.learning.summary}</Text> : null}
      {data.pendingFaults.length > 0 ? (
        <Text {...roles.banner.halt} wrap="truncate">
          {fit(` ${data.pendingFaults.length} fault${data.pendingFaults.length === 1 ? '' : 's'} from an earlier run still injected (${data.pendingFaults.map((f) => f.summary).join(', ')}). Run \`chaosdeck restore\`.`, columns)}
        </Text>
      ) : null}
      {message ? <Text {...roles.status.error} wrap="truncate"> {message}</Text> : null}
      <Box height={listHeight + 1} marginTop={1}>
        <Box flexDirection="column" width={listWidth} marginRight={2} overflow="hidden" flexShrink={0}>
          {data.entries.length === 0 ? <Text {...roles.text.muted}>{isLoading ? 'Loading scenarios…' : 'No scenarios found.'}</Text> : null}
          {visible.map((line) =>
            line.kind === 'pack' ? (
              <Text key={`pack-${line.pack}`} {...roles.text.heading} wrap="truncate">{line.pack}</Text>
            ) : (
              <EntryRow key={line.entry.file} entry={line.entry} width={listWidth} isSelected={line.index === selected} isNext={isNextUp(data, line.entry)} hasDoctor={data.hasDoctor} />
            ),
          )}
        </Box>
        {entry ? (
          // Clipped at the bottom: rows inside do not shrink (Yoga would squeeze a long hypothesis over the title).
          <Box flexDirection="column" width={detailWidth} height={listHeight + 1} overflow="hidden">
          <Box flexDirection="column" width={detailWidth} flexShrink={0}>
            <Text {...roles.text.heading} wrap="truncate">{entry.title}</Text>
            {entry.error ? <Text {...roles.status.error}>Does not load: {entry.error}</Text> : null}
            {entry.summary ? <Wrapped runs={[{ text: entry.summary, style: roles.text.primary }]} width={detailWidth} /> : null}
            <Box marginTop={1} flexDirection="column">
              <Text>
                <Text {...roles.text.strong}>Environment </Text>
                {profiles.length === 0 ? <Text {...roles.text.muted}>local (the pack has no profiles)</Text> : profiles.map((p) => (
                  <Text key={p} {...(p === profile ? roles.highlight.selected : roles.text.muted)}>{` ${p} `}</Text>
                ))}
              </Text>
              {profiles.length > 1 ? <Text {...roles.text.muted}>e or tab chooses the environment</Text> : null}
            </Box>
            <Box marginTop={1} flexDirection="column">
              <Text><Text {...roles.text.strong}>Needs </Text>{entry.needs.length > 0 ? entry.needs.join(', ') : 'nothing beyond Node'}</Text>
              {entry.runnable ? (
                entry.runnable.isRunnable ? <Text {...roles.status.ok}>{glyphs.check.met} doctor: runs here</Text> : (
                  <Text {...roles.status.error}>{glyphs.check.missed} doctor: {entry.runnable.reasons.join('; ')}</Text>
                )
              ) : !data.hasDoctor ? <Text {...roles.text.muted}>(no doctor check available: requirements shown without a verdict)</Text> : null}
            </Box>
            {/* Last: a long hypothesis is what gets clipped on a small terminal, not the verdict. */}
            {entry.hypothesis ? (
              <Box marginTop={1} flexDirection="column">
                <Wrapped runs={[{ text: 'Hypothesis ', style: roles.text.strong }, { text: entry.hypothesis.trim(), style: roles.text.emphasis }]} width={detailWidth} />
              </Box>
            ) : null}
          </Box>
          </Box>
        ) : null}
      </Box>
      <Box flexGrow={1} />
      <Footer width={columns} bindings={activeBindings(layers).filter((b) => b.command !== 'home.environment' || profiles.length > 1)} />
    </Box>
  );
}

function EntryRow({ entry, width, isSelected, isNext, hasDoctor }: { readonly entry: HomeEntry; readonly width: number; readonly isSelected: boolean; readonly isNext: boolean; readonly hasDoctor: boolean }) {
  const { theme, glyphs } = useLook();
  const roles = theme.roles;
  const meta = [entry.difficulty ?? '', entry.duration ?? '', entry.week !== undefined ? `wk${entry.week}` : ''].map((s, i) => fit(s, [7, 5, 5][i]!)).join('');
  const verdict = entry.error ? glyphs.check.missed : entry.runnable ? (entry.runnable.isRunnable ? glyphs.check.met : glyphs.check.missed) : hasDoctor ? '?' : ' ';
  const verdictRole = entry.error || (entry.runnable && !entry.runnable.isRunnable) ? roles.status.error : entry.runnable ? roles.status.ok : roles.text.muted;
  const tag = isNext ? (width < 60 ? ' next' : ' next up') : '';
  const titleWidth = Math.max(10, width - 4 - meta.length - 2 - tag.length);
  const style = isSelected ? roles.highlight.selected : entry.error ? roles.text.muted : roles.text.primary;
  return (
    <Text wrap="truncate">
      <Text {...style}>{isSelected ? ` ${glyphs.step.current} ` : '   '}{fit(truncate(entry.title, titleWidth, glyphs.ellipsis), titleWidth)}</Text>
      {tag ? <Text {...roles.text.accent}>{tag}</Text> : null}
      <Text {...style}> </Text>
      <Text {...roles.text.muted}>{meta}</Text>
      <Text {...verdictRole}> {verdict}</Text>
    </Text>
  );
}
