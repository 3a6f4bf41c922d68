// NATS subject names for canonical events: `<prefix>.<type>.<facility>`, e.g. `tendon.events.supply.used.FAC-NORTH`,
// so a consumer subscribes to one event type (`tendon.events.supply.used.*`), one facility
// (`tendon.events.*.*.FAC-NORTH`) or everything (`tendon.events.>`).
//
// A subject is split into tokens on `.`, and `*`, `>` and whitespace have meanings of their own, so a facility code
// cannot go in as it is: `FAC.NORTH` would become two tokens. Each character outside [A-Za-z0-9_-] is written as
// `%XX`, its UTF-8 bytes in hex (percent-encoding, as in a URL): `FAC.NORTH 2` → `FAC%2ENORTH%202`. Codes made only of
// letters, digits, `-` and `_` (nearly all of them) are unchanged, and `decodeURIComponent` gives the code back.

const SAFE = /^[A-Za-z0-9_-]+$/;

/** One subject token that carries `value` unchanged when it can, percent-encoded when it cannot. */
export function subjectToken(value: string): string {
  if (SAFE.test(value)) return value;
  const hex = (byte: number) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return [...value].map((ch) => (SAFE.test(ch) ? ch : [...Buffer.from(ch, 'utf8')].map(hex).join(''))).join('');
}

/** Where an event is published. Event types are already dotted lowercase words (`supply.used`): their tokens stay. */
export function eventSubject(prefix: string, type: string, facility: string): string {
  return `${prefix}.${type.split('.').map(subjectToken).join('.')}.${subjectToken(facility)}`;
}
