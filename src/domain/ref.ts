/**
 * An object as a caller named it: its id (a UUID) and the words the caller used for it (the global id a
 * GraphQL client sent). Services look objects up by `id`; when one is missing, or hidden, which must look
 * the same, they answer NOT_FOUND repeating `sent` byte for byte, so the client reads back its own id.
 */
export interface Ref {
  readonly id: string;
  readonly sent: string;
}
