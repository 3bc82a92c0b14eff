import type { Config } from '../config'
import { applyRate, toCents, type Cents } from '../shared/money'

/** The largest amount numeric(12,2) holds, in cents. */
export const MAX_AMOUNT: Cents = 999_999_999_999

export interface PricedLine {
  unitPrice: Cents
  quantity: number
}

export interface OrderTotals {
  lineTotals: Cents[]
  subtotal: Cents
  tax: Cents
  shipping: Cents
  total: Cents
}

/**
 * Exact totals in cents: tax is the configured rate of the subtotal rounded half up to the
 * cent, and shipping is free only when the subtotal is strictly over the threshold.
 */
export function priceOrder(lines: PricedLine[], rates: Config['orders']): OrderTotals {
  const lineTotals = lines.map((line) => line.unitPrice * line.quantity)
  const subtotal = lineTotals.reduce((sum, cents) => sum + cents, 0)
  const tax = applyRate(subtotal, rates.taxRate)
  const shipping = subtotal > toCents(rates.freeShippingOver) ? 0 : toCents(rates.shippingFee)

  return { lineTotals, subtotal, tax, shipping, total: subtotal + tax + shipping }
}
