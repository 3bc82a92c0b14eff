import { setDefaultTimeout } from 'bun:test'

// Tests must be quiet and must never pick up a developer's .env by accident.
process.env.NODE_ENV = 'test'
process.env.LOG_LEVEL ??= 'silent'

// Hooks that start databases or server processes can take seconds on a loaded machine;
// the default of 5 s (which bunfig's timeout does not change for hooks) is too tight.
// Bun 1.4 keeps this for the first test file of a run only (oven-sh/bun#43787), so files set
// it again: useTestContext() in ./suite.ts does.
setDefaultTimeout(60_000)
