import { base, de, Faker } from '@faker-js/faker';

/** Base seed of the demo data; each feature derives its own stream so editing one leaves the others alone. */
export const DEMO_SEED = 20261107;

/** A German-locale faker with its own deterministic stream (`feature` picks the stream). */
export function seededFaker(seed: number, feature = ''): Faker {
  const faker = new Faker({ locale: [de, base] });
  faker.seed([seed, ...Array.from(feature, (ch) => ch.charCodeAt(0))]);
  return faker;
}

/** Picks one value by weight: `weighted(f, [['M', 78], ['F', 18]])`. */
export function weighted<T>(faker: Faker, entries: readonly (readonly [T, number])[]): T {
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  let r = faker.number.float({ min: 0, max: total });
  for (const [value, weight] of entries) {
    r -= weight;
    if (r <= 0) return value;
  }
  return entries[entries.length - 1]![0];
}

/** True with probability p. */
export const chance = (faker: Faker, p: number): boolean => faker.number.float({ min: 0, max: 1 }) < p;

/** Integer in [min, max]. */
export const int = (faker: Faker, min: number, max: number): number => faker.number.int({ min, max });

/** ASCII slug part of a German name for e-mail addresses ("Jürgen Weiß" → "juergen.weiss"). */
export function asciiLower(value: string): string {
  return value
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.+|\.+$/g, '');
}
