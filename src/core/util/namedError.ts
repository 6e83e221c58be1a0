/**
 * The extension ships in several bundles and each holds its own copy of an error class, so `instanceof` fails for an
 * error thrown in one bundle and checked in another: the name tells the class instead.
 */
export function isErrorNamed(error: unknown, name: string): error is Error {
  return error instanceof Error && error.name === name;
}
