import { Text, render } from 'ink';

// The first-frame baseline: a bare Ink hello-world, bundled like the CLI.
render(<Text>hello</Text>, { patchConsole: false });
