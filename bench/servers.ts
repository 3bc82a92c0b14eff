import { createServer } from 'node:net'
import { resolve } from 'node:path'
import type { Subprocess } from 'bun'

const root = resolve(import.meta.dir, '..')

export interface RunningServer {
  name: string
  baseUrl: string
  stop(): Promise<void>
}

/** A port nobody listens on right now, found by binding port 0. */
export async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done))
  const address = probe.address()
  await new Promise((done) => probe.close(done))
  if (!address || typeof address === 'string') throw new Error('No free port')
  return address.port
}

/**
 * Starts a server process from the project root and waits until `readyPath` answers 200.
 * Its output is discarded (the benchmark runs it with warnings only).
 */
export async function startServer(
  name: string,
  command: string[],
  env: Record<string, string>,
  readyPath: string,
): Promise<RunningServer> {
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const child = Bun.spawn(command.map((part) => part.replace('{port}', String(port))), {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? root, ...env,
      PORT: String(port) },
    stdin: 'ignore',
    stdout: 'ignore',
    stderr: 'pipe',
  })

  const server = { name, baseUrl, stop: () => stopChild(child) }
  try {
    await waitUntilReady(child, `${baseUrl}${readyPath}`)
  } catch (error) {
    await server.stop()
    throw error
  }
  return server
}

async function waitUntilReady(child: Subprocess<'ignore', 'ignore', 'pipe'>, url: string) {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      const output = await new Response(child.stderr).text()
      throw new Error(`The server exited with ${child.exitCode}: ${output}`)
    }
    if (await fetch(url).then((r) => r.ok, () => false)) return
    await Bun.sleep(100)
  }
  throw new Error(`${url} did not answer within 60 s`)
}

async function stopChild(child: Subprocess<'ignore', 'ignore', 'pipe'>) {
  if (child.exitCode !== null) return
  child.kill('SIGTERM')
  const exited = await Promise.race([child.exited.then(() => true), Bun.sleep(10_000)])
  if (!exited) child.kill('SIGKILL')
  await child.exited
}
