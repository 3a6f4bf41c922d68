// API tokens. They are 256-bit random secrets, so one SHA-256 is enough to store them safely (a slow password
// hash protects guessable secrets; these are not guessable) and lets every request be checked in microseconds.
import { createHash, randomBytes } from 'node:crypto';

export const newApiToken = (): string => 'tdn_' + randomBytes(32).toString('base64url');
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
