import { invalid } from '../shared/errors'
import { centsToDecimal, toCents } from '../shared/money'

/** The catalogue fields as a request may carry them (all optional for updates). */
export interface CatalogueInput {
  name?: string
  description?: string
  price?: number
  stock?: number
  category?: string
  images?: string[]
}

/** The same fields ready to store: trimmed text, price as the decimal string numeric takes. */
export interface CatalogueValues {
  name?: string
  description?: string
  price?: string
  stock?: number
  category?: string
  images?: string[]
}

/**
 * Checks what the schema cannot express (two decimals, blank names, parseable URLs) and
 * returns the values to store. Throws a 400 naming the field before anything is written.
 */
export function catalogueValues(input: CatalogueInput): CatalogueValues {
  const values: CatalogueValues = {}
  if (input.name !== undefined) values.name = nonBlank('name', input.name)
  if (input.description !== undefined) values.description = input.description
  if (input.price !== undefined) values.price = priceText(input.price)
  if (input.stock !== undefined) values.stock = input.stock
  if (input.category !== undefined) values.category = nonBlank('category', input.category)
  if (input.images !== undefined) values.images = input.images.map(checkedUrl)
  return values
}

function nonBlank(field: string, value: string): string {
  const trimmed = value.trim()
  if (trimmed === '') throw invalid(field, 'must not be blank')
  return trimmed
}

/** A JSON number such as 19.99 as "19.99"; 1.234 (or 1e-7) has too many decimals. */
export function priceText(price: number): string {
  // Shortest round-trip text of the double: exactly what the client wrote for sane prices.
  if (!/^\d+(\.\d{1,2})?$/.test(String(price))) {
    throw invalid('price', 'must have at most two decimals')
  }
  return centsToDecimal(toCents(price))
}

function checkedUrl(url: string, index: number): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw invalid(`images.${index}`, 'is not a valid URL')
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw invalid(`images.${index}`, 'must be an http or https URL')
  }
  return url
}
