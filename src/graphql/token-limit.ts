/** graphql-js stops lexing after maxTokens tokens; its message becomes our limit error. */
const TOKENS_MESSAGE = /Document contains more that (\d+) tokens/;

export function tokenLimitOf(error: { message: string }): number | undefined {
  const match = TOKENS_MESSAGE.exec(error.message);
  return match ? Number(match[1]) : undefined;
}
