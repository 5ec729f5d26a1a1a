import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { parseMarkdown, type Span } from '../markdown';
import { useLook } from '../hooks/use-look';
import type { Theme } from '../theme/schema';

function spanStyle(span: Span, theme: Theme) {
  const roles = theme.roles.text;
  return span.style === 'strong' ? roles.strong : span.style === 'emphasis' ? roles.emphasis : span.style === 'code' ? roles.code : roles.primary;
}

function Spans({ spans, theme }: { readonly spans: readonly Span[]; readonly theme: Theme }) {
  return <>{spans.map((span, i) => <Text key={i} {...spanStyle(span, theme)}>{span.text}</Text>)}</>;
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
            return <Text key={i} {...theme.roles.text.heading}><Spans spans={block.spans} theme={theme} /></Text>;
          case 'paragraph':
            return <Text key={i}><Spans spans={block.spans} theme={theme} /></Text>;
          case 'item': {
            const marker = block.marker === '•' ? glyphs.bullet : block.marker;
            const indent = 2 * block.depth;
            return (
              <Box key={i} paddingLeft={indent}>
                <Text {...theme.roles.text.accent}>{marker} </Text>
                <Box flexGrow={1} flexShrink={1}><Text><Spans spans={block.spans} theme={theme} /></Text></Box>
              </Box>
            );
          }
          case 'quote':
            return <Text key={i} {...theme.roles.text.muted}>{glyphs.isUnicode ? '│ ' : '| '}<Spans spans={block.spans} theme={theme} /></Text>;
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
