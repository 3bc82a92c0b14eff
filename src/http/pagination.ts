import { t } from 'elysia'
import { integer } from './types'

export const MAX_PER_PAGE = 100

/** Query fields for page-numbered lists; digits only, so hex, exponents and signs fail. */
export const pageQuery = {
  page: t.Optional(t.String({ pattern: '^[1-9][0-9]{0,6}$', description: 'Page number, from 1' })),
  perPage: t.Optional(t.String({
    pattern: '^[1-9][0-9]{0,6}$',
    description: `Items per page, 1 and up; values over ${MAX_PER_PAGE} are capped`,
  })),
}

export interface PageRequest {
  page: number
  perPage: number
  offset: number
}

export function toPageRequest(
  query: { page?: string; perPage?: string },
  defaultPerPage = 20,
): PageRequest {
  const page = Number(query.page ?? '1')
  const perPage = Math.min(Number(query.perPage ?? defaultPerPage), MAX_PER_PAGE)
  return { page, perPage, offset: (page - 1) * perPage }
}

export const Pagination = t.Object({
  page: integer(),
  perPage: integer(),
  total: integer(),
  totalPages: integer(),
})

export function paginationOf(request: PageRequest, total: number) {
  return {
    page: request.page,
    perPage: request.perPage,
    total,
    totalPages: Math.ceil(total / request.perPage),
  }
}

/** `{ data, pagination }`: the list shape the older version's clients read. */
export const pageOf = <T extends Parameters<typeof t.Array>[0]>(item: T) =>
  t.Object({ data: t.Array(item), pagination: Pagination })
