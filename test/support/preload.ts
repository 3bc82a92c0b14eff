import { setDefaultTimeout } from 'bun:test'

// Tests must be quiet and must never pick up a developer's .env by accident.
process.env.NODE_ENV = 'test'
process.env.LOG_LEVEL ??= 'silent'

// Hooks that start databases or server processes can take seconds on a loaded machine;
// the default of 5 s (which bunfig's timeout does not change for hooks) is too tight.
setDefaultTimeout(60_000)
