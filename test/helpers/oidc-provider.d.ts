// oidc-provider ships no types; the tests use a small part of it.
declare module 'oidc-provider' {
  // biome-ignore lint/suspicious/noExplicitAny: untyped library.
  const Provider: any;
  export default Provider;
}
