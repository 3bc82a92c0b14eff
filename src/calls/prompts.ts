/**
 * The words of the outbound call, all in one place: the agent's instructions (`prompt`) and
 * its opening line (`first_message`), built from the return request.
 */
export interface CallScriptFacts {
  customerName: string
  orderNumber: string
  productName: string
  reason: string
  /** The customer's own words, when they wrote more than the reason. */
  description: string | null
}

/** Bumped whenever the wording below changes, so transcripts can be compared by version. */
export const CALL_PROMPT_VERSION = 'returns-call-v1'

const COMPANY = 'Amazon Eye'

/** The customer's first name, for a friendly greeting; the full name when it has one part. */
export function firstName(customerName: string): string {
  return customerName.trim().split(/\s+/)[0] || 'there'
}

export function buildPrompt(facts: CallScriptFacts): string {
  const details = facts.description ? `\nThe customer added: "${clip(facts.description, 600)}"` : ''
  return [
    `You are Alex, a courteous member of the ${COMPANY} returns team, calling a customer`,
    'about a return request they just opened. Speak clearly, be brief and professional,',
    'and never ask for passwords, card numbers or other payment details.',
    '',
    'Facts of the request:',
    `- Customer: ${facts.customerName}`,
    `- Order number: ${facts.orderNumber}`,
    `- Product: ${facts.productName}`,
    `- Reason given: ${clip(facts.reason, 500)}${details}`,
    '',
    'Your goals, in order:',
    '1. Confirm you are speaking with the customer and that they opened this return.',
    '2. Understand what is wrong with the product, in their words; ask one question at a time.',
    '3. Ask whether they would prefer a refund or a replacement.',
    '4. Explain that the returns team reviews every request and will confirm by email.',
    'Do not promise a refund or a replacement yourself. If the customer is upset, acknowledge',
    'it and stay calm. If they ask to stop, thank them and end the call politely.',
  ].join('\n')
}

export function buildFirstMessage(facts: CallScriptFacts): string {
  return `Hello ${firstName(facts.customerName)}, this is Alex from the ${COMPANY} returns team. `
    + `I'm calling about your return request for the ${facts.productName} from order `
    + `${facts.orderNumber}. Do you have a couple of minutes?`
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`
}
