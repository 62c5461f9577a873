import type { TFunction } from 'i18next';
import type { ApiError } from './api';

/**
 * An API refusal in the reader's language. The server's messages are English and meant for
 * developers; the console says each known code in words of its own (`apiErrors` in the
 * catalogues), a page first in its own words where it has them (`<section>.errors.<code>`, e.g.
 * a wrong password on the sign-in page, which is a 401 like an expired session), and a code it
 * does not know in the server's words. Figures the server sent in `details` fill the gaps
 * (`{{lines}}`, `{{reason}}`, the field a 400 is about).
 */
export function apiErrorText(t: TFunction, error: ApiError, section?: string, values: Record<string, unknown> = {}): string {
  if (error.status === 0) return t('common.networkError');
  const keys = [...(section ? [`${section}.errors.${error.code}`] : []), `apiErrors.${error.code}`];
  return t(keys, { defaultValue: error.message || t('common.unknownError'), ...detailsOf(t, error), ...values });
}

function detailsOf(t: TFunction, error: ApiError): Record<string, unknown> {
  // A 400's first field, as the server names it: a JSON pointer (`/payee_name`), `/` for the whole body.
  const field = (error.issues?.[0]?.path ?? '').replace(/^\//, '').replaceAll('/', '.');
  return {
    ...error.details,
    field: field ? t('common.errorField', { field }) : '',
    // Why, in the server's words: its own `reason` (a stopped settlement run), else its message (a file or a setting it could not take).
    reason: typeof error.details?.reason === 'string' ? error.details.reason : error.message,
    requestId: error.requestId ?? '',
  };
}
