// Identifiers. UUIDv7 is time-ordered, so new rows land at the end of every index (cheap inserts, and ids sort
// by creation time in lists and traces).
import { v7 } from 'uuid';

export const newId = (): string => v7();
