import { authenticate, type LoadUser } from '../http/auth'
import { AppError } from '../shared/errors'
import type { Actor } from './access'

type Verifier = Parameters<typeof authenticate>[1]

/**
 * The caller of a public route when a valid bearer token came with it, else undefined: a
 * stale or forged token makes the caller anonymous, never more.
 */
export async function optionalCaller(
  header: string | undefined,
  verifier: Verifier,
  loadUser: LoadUser,
): Promise<Actor | undefined> {
  if (!header) return undefined
  try {
    return await authenticate(header, verifier, loadUser)
  } catch (error) {
    if (error instanceof AppError && error.code === 'UNAUTHENTICATED') return undefined
    throw error
  }
}
