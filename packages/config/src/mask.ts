const secretParams = /([?&](?:password|pass|pwd|secret|token|key|access_key|secret_key)=)[^&#]*/gi;

/**
 * Hides the password of a URL-like value so it can be shown in an error or a log. Works on text
 * that is not a valid URL too (`user:pw@host`), because a mistyped URL still holds the real password.
 */
export function maskUrl(raw: string): string {
  let masked = raw.replace(secretParams, '$1***');
  const at = masked.lastIndexOf('@');
  if (at !== -1) {
    const schemeEnd = masked.indexOf('://');
    const userInfoStart = schemeEnd !== -1 && schemeEnd < at ? schemeEnd + 3 : 0;
    const userInfo = masked.slice(userInfoStart, at);
    const colon = userInfo.indexOf(':');
    if (colon !== -1) {
      masked = `${masked.slice(0, userInfoStart)}${userInfo.slice(0, colon)}:***${masked.slice(at)}`;
    }
  }
  return masked;
}

/** Quotes a value for a one-line message: no line breaks, bounded length. */
export function quote(value: string): string {
  const flat = value.replace(/[\r\n]+/g, ' ');
  return JSON.stringify(flat.length > 120 ? `${flat.slice(0, 117)}...` : flat);
}
