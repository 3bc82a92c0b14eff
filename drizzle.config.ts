import { defineConfig } from 'drizzle-kit'

// drizzle-kit runs outside the app, so it reads the environment directly. Without
// DATABASE_URL it targets the embedded PostgreSQL in DATA_DIR, as the service does.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './drizzle',
  ...(process.env.DATABASE_URL
    ? { dbCredentials: { url: process.env.DATABASE_URL } }
    : { driver: 'pglite', dbCredentials: { url: process.env.DATA_DIR ?? './data' } }),
})
