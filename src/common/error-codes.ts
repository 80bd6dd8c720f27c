/**
 * Every code a DomainError may carry, with the HTTP status it is answered with: the one table of
 * code -> status (issue 16). The code union is derived from it, so a new code without a status does
 * not compile. Codes are part of the API: never rename one, only add.
 */
export const HTTP_STATUS_OF_CODE = {
  // 400: the request itself is malformed
  validation_failed: 400,
  current_password_wrong: 400,
  // 401
  unauthenticated: 401,
  invalid_credentials: 401,
  // 403
  forbidden: 403,
  csrf_failed: 403,
  self_approval: 403,
  // 404
  not_found: 404,
  // 409: the request conflicts with the current state
  already_member: 409,
  already_published: 409,
  already_suspended: 409,
  blackout: 409,
  channel_not_active: 409,
  invalid_transition: 409,
  last_admin: 409,
  name_taken: 409,
  not_suspended: 409,
  nothing_to_schedule: 409,
  partner_in_use: 409,
  post_cancelled: 409,
  post_published: 409,
  slug_taken: 409,
  // 413, 415: uploads
  media_too_large: 413,
  media_type_not_accepted: 415,
  // 422: well-formed, but a value cannot be accepted
  field_rejected: 422,
  post_invalid: 422,
  credentials_refused: 422,
  platform_refused: 422,
  // 429
  too_many_requests: 429,
  platform_rate_limited: 429,
  // 502: a platform did not answer as expected
  platform_unavailable: 502,
} as const satisfies Record<string, number>;

export type DomainErrorCode = keyof typeof HTTP_STATUS_OF_CODE;

/** The codes answered with a given status, so that `conflict()` only takes a 409 code, and so on. */
export type CodeWithStatus<S extends number> = {
  [K in DomainErrorCode]: (typeof HTTP_STATUS_OF_CODE)[K] extends S ? K : never;
}[DomainErrorCode];

/**
 * Two codes are answered under another name, as the API answered them before codes had one status
 * each: a rejected field value (422) and a wrong current password (400) keep their public codes.
 */
export const PUBLIC_CODE_OF: Partial<Record<DomainErrorCode, string>> = {
  field_rejected: 'validation_failed',
  current_password_wrong: 'invalid_credentials',
};
