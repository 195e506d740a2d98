/**
 * The one error type of this package: thrown when a service cannot be found or started. Its
 * message is meant for a person at a terminal, so it names what is missing and how to provide it.
 */
export class InfrastructureError extends Error {
  override name = 'InfrastructureError';
}

/** Hides the password of a URL before it goes into a log line or an error message. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
