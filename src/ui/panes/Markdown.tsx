import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { parseMarkdown, type Span } from '../markdown';
import { useLook } from '../hooks/use-look';
import type { Theme } from '../theme/schema';
import { Wrapped } from './Wrapped';

function spanStyle(span: Span, theme: Theme) {
  const roles = theme.roles.text;
  return span.style === 'strong' ? roles.strong : span.style === 'emphasis' ? roles.emphasis : span.style === 'code' ? roles.code : roles.primary;
}

function runsOf(spans: readonly Span[], theme: Theme, plain = theme.roles.text.primary) {
  return spans.map((span) => ({ text: span.text, style: span.style === 'plain' ? plain : spanStyle(span, theme) }));
}

/** Props of the Markdown view. */
export interface MarkdownProps {
  readonly source: string;
  readonly width: number;
}

/** Renders a step's notes: headings, paragraphs, lists, quotes, fenced code. */
export function Markdown({ source, width }: MarkdownProps) {
  const { theme, glyphs } = useLook();
  const blocks = useMemo(() => parseMarkdown(source), [source]);
  return (
    <Box flexDirection="column" width={width}>
      {blocks.map((block, i) => {
        switch (block.kind) {
          case 'heading':
            return <Wrapped key={i} runs={runsOf(block.spans, theme, theme.roles.text.heading)} width={width} />;
          case 'paragraph':
            return <Wrapped key={i} runs={runsOf(block.spans, theme)} width={width} />;
          case 'item': {
            const marker = block.marker === '•' ? glyphs.bullet : block.marker;
            const indent = 2 * block.depth;
            return (
              <Box key={i} paddingLeft={indent} flexDirection="column">
                <Wrapped runs={runsOf(block.spans, theme)} width={width - indent} lead={{ text: `${marker} `, style: theme.roles.text.accent }} />
              </Box>
            );
          }
          case 'quote':
            return <Wrapped key={i} runs={runsOf(block.spans, theme, theme.roles.text.muted)} width={width} lead={{ text: glyphs.isUnicode ? '│ ' : '| ', style: theme.roles.text.muted }} />;
          case 'code':
            return (
              <Box key={i} flexDirection="column" paddingLeft={2}>
                {block.lines.map((line, j) => <Text key={j} {...theme.roles.text.code} wrap="truncate">{line || ' '}</Text>)}
              </Box>
            );
          case 'blank':
            return <Text key={i}> </Text>;
        }
      })}
    </Box>
  );
}
