import { parsePhoneNumberFromString } from 'libphonenumber-js/min'
import { invalid } from '../shared/errors'
import { orderLimits, type CreateOrderInput } from './schemas'

/** A merged order line; `index` is where the product first appeared in the request. */
export interface CheckoutLine {
  productId: string
  quantity: number
  index: number
}

/** A checkout after normalising: lines merged and sorted by product id, contact trimmed. */
export interface CheckoutRequest {
  lines: CheckoutLine[]
  shippingAddress: string
  city: string
  state: string
  zipCode: string
  firstName: string
  lastName: string
  email: string
  phone: string | null
  paymentMethod: string | null
}

/**
 * Merges duplicate product lines and sorts them by product id (the order rows are locked
 * in, so two checkouts never wait on each other in a cycle); trims the contact fields and
 * normalises the phone number to E.164. Throws 400 naming the field.
 */
export function normaliseCheckout(input: CreateOrderInput): CheckoutRequest {
  return {
    lines: mergeLines(input.items),
    shippingAddress: input.shippingAddress.trim(),
    city: input.city.trim(),
    state: input.state.trim(),
    zipCode: input.zipCode.trim(),
    firstName: input.firstName.trim(),
    lastName: input.lastName.trim(),
    email: input.email.trim().toLowerCase(),
    phone: input.phone ? normalisePhone(input.phone) : null,
    paymentMethod: input.paymentMethod?.trim() || null,
  }
}

function mergeLines(items: CreateOrderInput['items']): CheckoutLine[] {
  const merged = new Map<string, CheckoutLine>()
  items.forEach((item, index) => {
    const productId = item.productId.toLowerCase()
    const line = merged.get(productId)
    if (line) line.quantity += item.quantity
    else merged.set(productId, { productId, quantity: item.quantity, index })
  })

  const lines = [...merged.values()].sort((a, b) => (a.productId < b.productId ? -1 : 1))
  for (const line of lines) {
    if (line.quantity > orderLimits.maxQuantity) {
      throw invalid(`items.${line.index}.quantity`,
        `at most ${orderLimits.maxQuantity} units of one product per order (lines add up)`)
    }
  }
  return lines
}

// International format only: a leading +, then digits with the separators people type.
const phoneShape = /^\+[0-9][0-9 ().-]*$/

function normalisePhone(raw: string): string {
  const trimmed = raw.trim()
  if (!phoneShape.test(trimmed)) {
    throw invalid('phone', 'must be in international format, e.g. +14155550123')
  }

  const parsed = parsePhoneNumberFromString(trimmed)
  if (!parsed?.isValid()) throw invalid('phone', 'is not a valid phone number')
  return parsed.number
}
