import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from './protocol';

// Two bearer tokens per share: one the room gets, one only the presenter's
// laptop has. Comparing digests of equal length keeps the comparison constant
// time whatever the length of what a client sends.

/** A fresh token: 128 random bits, URL-safe. */
export function newToken(): string {
  return randomBytes(16).toString('base64url');
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** The two tokens of a share; they always differ. */
export interface ShareTokens {
  readonly audience: string;
  readonly presenter: string;
}

/** Creates the pair, or checks a given pair differs. */
export function createTokens(given: Partial<ShareTokens> = {}): ShareTokens {
  const audience = given.audience ?? newToken();
  let presenter = given.presenter ?? newToken();
  while (presenter === audience) {
    if (given.presenter !== undefined) throw new Error('the presenter token must differ from the audience token');
    presenter = newToken();
  }
  return { audience, presenter };
}

/** The role a presented token grants, or null; both tokens are always compared. */
export function roleOfToken(tokens: ShareTokens, presented: string | null | undefined): Role | null {
  if (typeof presented !== 'string' || presented.length === 0) return null;
  const given = digest(presented);
  const isAudience = timingSafeEqual(given, digest(tokens.audience));
  const isPresenter = timingSafeEqual(given, digest(tokens.presenter));
  if (isPresenter) return 'presenter';
  if (isAudience) return 'audience';
  return null;
}
