// Tests must be quiet and must never pick up a developer's .env by accident.
process.env.NODE_ENV = 'test'
process.env.LOG_LEVEL ??= 'silent'
