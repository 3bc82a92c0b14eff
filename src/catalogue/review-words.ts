/** Review titles and sentences by star rating (index 1..5), for generated reviews. */

export const reviewTitles: Record<number, readonly string[]> = {
  1: ['Very disappointed', 'Broke within a week', 'Do not buy', 'Not as described',
    'Waste of money', 'Returned it'],
  2: ['Below expectations', 'Not great', 'Cheaply made', 'Had higher hopes', 'Meh',
    'Some problems'],
  3: ['It is okay', 'Average', 'Does the job', 'Mixed feelings', 'Fine for the price',
    'Decent but not perfect'],
  4: ['Pretty good', 'Solid purchase', 'Happy with it', 'Good value', 'Works well',
    'Would buy again'],
  5: ['Excellent', 'Love it', 'Exactly what I needed', 'Five stars', 'Great value',
    'Better than expected'],
}

export const reviewBodies: Record<number, readonly string[]> = {
  1: [
    'It stopped working after a few days.',
    'The quality is far below what the pictures suggest.',
    'Arrived damaged and the replacement was no better.',
    'Nothing about it matched the description.',
    'I would not recommend this to anyone.',
  ],
  2: [
    'It works, but it feels flimsy.',
    'Smaller than I expected and the finish is rough.',
    'Customer service was slow to answer.',
    'It does less than the listing promises.',
    'I might keep it, but I would not buy it again.',
  ],
  3: [
    'It does what it says, nothing more.',
    'Good enough for occasional use.',
    'Shipping was quick, the product is average.',
    'Some details could be better, but it is fine.',
    'Reasonable for the price.',
  ],
  4: [
    'Works well and looks nice.',
    'Good quality for the money.',
    'Setup took a few minutes and it has been reliable since.',
    'One small flaw, otherwise very good.',
    'I use it every day and it holds up.',
  ],
  5: [
    'Exactly as described and very well made.',
    'I bought a second one as a gift.',
    'Great quality, fast delivery, no complaints.',
    'It has made my day-to-day so much easier.',
    'Worth every cent.',
  ],
}
