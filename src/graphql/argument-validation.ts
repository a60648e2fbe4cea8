/**
 * How arguments are validated (class-validator, through type-graphql): the schema's setting, and what a
 * read plan validates with before it calls the same services (src/modules/read-plan/).
 */
export const ARGUMENT_VALIDATION = { forbidUnknownValues: false } as const;
