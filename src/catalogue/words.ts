/** Vocabulary of the derived catalogue: fixed lists, so derivations never drift. */

export interface CategoryWords {
  name: string
  nouns: readonly string[]
  /** Price range in cents. */
  minCents: number
  maxCents: number
  features: readonly string[]
}

export const categories: readonly CategoryWords[] = [
  {
    name: 'Electronics',
    nouns: ['Wireless Earbuds', 'Bluetooth Speaker', 'USB-C Charger', 'Power Bank',
      'Smart Plug', 'HDMI Cable', 'Webcam', 'Noise-Cancelling Headphones', 'Mechanical Keyboard',
      'Wireless Mouse', 'Portable SSD', 'Fitness Tracker'],
    minCents: 799,
    maxCents: 24999,
    features: ['a battery that lasts all day', 'fast charging over USB-C',
      'a low-latency wireless link', 'a compact, travel-friendly body', 'plug-and-play setup'],
  },
  {
    name: 'Books',
    nouns: ['Cookbook', 'Mystery Novel', 'Field Guide', 'Travel Journal', 'History of Rome',
      'Poetry Collection', 'Programming Handbook', 'Graphic Novel', 'Children\'s Picture Book'],
    minCents: 499,
    maxCents: 4999,
    features: ['clear illustrations', 'a lay-flat binding', 'an index that is easy to use',
      'short chapters for busy readers', 'notes from the author'],
  },
  {
    name: 'Home & Kitchen',
    nouns: ['Chef Knife', 'Cast Iron Skillet', 'French Press', 'Cutting Board', 'Blender',
      'Storage Containers', 'Electric Kettle', 'Bath Towel Set', 'Throw Blanket', 'Desk Lamp'],
    minCents: 999,
    maxCents: 19999,
    features: ['dishwasher-safe parts', 'food-grade materials', 'a non-slip base',
      'an easy-clean finish', 'a design that saves counter space'],
  },
  {
    name: 'Toys & Games',
    nouns: ['Building Blocks', 'Board Game', 'Jigsaw Puzzle', 'Plush Bear', 'Card Game',
      'Remote Control Car', 'Art Set', 'Wooden Train Set', 'Science Kit'],
    minCents: 599,
    maxCents: 8999,
    features: ['rounded, child-safe edges', 'non-toxic paints', 'clear instructions',
      'pieces that store in the box', 'play for two to six people'],
  },
  {
    name: 'Sports & Outdoors',
    nouns: ['Yoga Mat', 'Water Bottle', 'Camping Lantern', 'Resistance Bands', 'Hiking Backpack',
      'Jump Rope', 'Foam Roller', 'Trekking Poles', 'Cycling Gloves'],
    minCents: 899,
    maxCents: 14999,
    features: ['a sweat-resistant grip', 'a lightweight frame', 'weatherproof materials',
      'a carry strap', 'adjustable sizing'],
  },
  {
    name: 'Beauty',
    nouns: ['Face Moisturizer', 'Vitamin C Serum', 'Hair Dryer', 'Makeup Brush Set',
      'Sunscreen SPF 50', 'Lip Balm Set', 'Shampoo Bar', 'Nail Care Kit'],
    minCents: 499,
    maxCents: 7999,
    features: ['a fragrance-free formula', 'gentle, skin-friendly ingredients',
      'a travel-size option', 'recyclable packaging', 'a lightweight texture'],
  },
  {
    name: 'Clothing',
    nouns: ['Cotton T-Shirt', 'Running Shorts', 'Wool Socks', 'Rain Jacket', 'Hoodie',
      'Denim Jeans', 'Baseball Cap', 'Fleece Vest', 'Leather Belt'],
    minCents: 999,
    maxCents: 12999,
    features: ['breathable fabric', 'a relaxed fit', 'reinforced seams', 'machine-washable care',
      'a wide range of sizes'],
  },
  {
    name: 'Health',
    nouns: ['Digital Thermometer', 'Pill Organizer', 'Blood Pressure Monitor', 'Heating Pad',
      'First Aid Kit', 'Massage Gun', 'Multivitamin Gummies', 'Posture Corrector'],
    minCents: 699,
    maxCents: 9999,
    features: ['readings in seconds', 'a clear display', 'an easy-to-read guide',
      'a compact case', 'settings for the whole family'],
  },
  {
    name: 'Garden',
    nouns: ['Garden Hose', 'Pruning Shears', 'Seed Starter Kit', 'Raised Planter',
      'Solar Path Lights', 'Watering Can', 'Bird Feeder', 'Garden Gloves'],
    minCents: 799,
    maxCents: 11999,
    features: ['rust-resistant steel', 'UV-stable materials', 'an ergonomic handle',
      'simple assembly', 'a weather-ready finish'],
  },
  {
    name: 'Automotive',
    nouns: ['Dash Cam', 'Tire Inflator', 'Car Phone Mount', 'Jump Starter', 'Seat Covers',
      'Microfiber Towels', 'Trunk Organizer', 'LED Headlight Bulbs'],
    minCents: 999,
    maxCents: 17999,
    features: ['a universal fit', 'a sturdy mount', 'a 12 V plug', 'tool-free installation',
      'a compact storage bag'],
  },
  {
    name: 'Pet Supplies',
    nouns: ['Dog Leash', 'Cat Scratching Post', 'Pet Bed', 'Chew Toy Set', 'Litter Mat',
      'Automatic Feeder', 'Grooming Brush', 'Travel Water Bowl'],
    minCents: 599,
    maxCents: 8999,
    features: ['pet-safe materials', 'a washable cover', 'a non-slip bottom',
      'durable stitching', 'a size for every breed'],
  },
  {
    name: 'Office Products',
    nouns: ['Gel Pens', 'Spiral Notebook', 'Desk Organizer', 'Label Maker',
      'Ergonomic Chair Cushion', 'Whiteboard', 'Paper Shredder', 'Monitor Stand'],
    minCents: 399,
    maxCents: 15999,
    features: ['smudge-free ink', 'acid-free paper', 'a space-saving footprint',
      'quiet operation', 'a sturdy build'],
  },
]

export const brands = [
  'Lumina', 'Northfield', 'Brightway', 'Oakridge', 'Vantro', 'Kestrel', 'Solace', 'Arbor',
  'Ironleaf', 'Cobalt', 'Meridian', 'Halcyon', 'Pinecrest', 'Novalyn', 'Stratus', 'Everly',
  'Tidewell', 'Quill & Co', 'Summit', 'Fennec',
] as const

export const adjectives = [
  'Classic', 'Premium', 'Compact', 'Deluxe', 'Everyday', 'Pro', 'Essential', 'Ultra',
  'Lightweight', 'Heavy-Duty', 'Eco', 'Smart', 'Travel', 'Signature',
] as const

export const variants = [
  '', '', '', '', ', 2-Pack', ', 3-Pack', ' - Black', ' - White', ' - Blue', ', Large',
  ', Small', ' (2024 Edition)',
] as const

export const closings = [
  'Backed by a one-year warranty.', 'Ships in recyclable packaging.',
  'A thoughtful gift for friends and family.', 'Designed and tested for daily use.',
  'Customer support is one message away.',
] as const
