import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface ThrowawayPostgres {
  url: string
  stop(): Promise<void>
}

/** The PostgreSQL binaries of PG_BIN or the newest /usr/lib/postgresql/<version>/bin. */
function findBinaries(): string | undefined {
  const fromEnv = process.env.PG_BIN
  if (fromEnv && existsSync(join(fromEnv, 'initdb'))) return fromEnv

  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))
  return versions[0] ? join(root, versions[0], 'bin') : undefined
}

async function run(command: string[], asPostgres: boolean): Promise<void> {
  const argv = asPostgres ? ['runuser', '-u', 'postgres', '--', ...command] : command
  const child = Bun.spawn(argv, { stdout: 'pipe', stderr: 'pipe' })
  const code = await child.exited
  if (code !== 0) {
    const stderr = await new Response(child.stderr).text()
    throw new Error(`${command[0]} failed (${code}): ${stderr.slice(0, 500)}`)
  }
}

function freePort(): number {
  const probe = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const port = probe.port
  probe.stop(true)
  return port
}

/**
 * Starts a private PostgreSQL cluster on a loopback port with trust auth, for tests that
 * need several processes on one real database when DATABASE_URL is not set. Undefined when
 * no PostgreSQL binaries are installed. initdb refuses root, so it runs as `postgres` then.
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres | undefined> {
  const bin = findBinaries()
  if (!bin) return undefined

  const asPostgres = process.getuid?.() === 0
  const dir = mkdtempSync(join(tmpdir(), 'ae-pg-'))
  if (asPostgres) await run(['chown', 'postgres', dir], false)

  const data = join(dir, 'data')
  const port = freePort()
  await run([join(bin, 'initdb'), '-D', data, '-U', 'postgres', '--auth=trust', '--no-sync',
    '-E', 'UTF8'], asPostgres)
  await run([join(bin, 'pg_ctl'), '-D', data, '-w', '-l', join(dir, 'log'), '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start'], asPostgres)

  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await run([join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop'], asPostgres)
        .catch(() => {})
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
