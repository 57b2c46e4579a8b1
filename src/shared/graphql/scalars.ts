import { DateTimeISOResolver, LocalDateResolver } from 'graphql-scalars';

/** `LocalDate` (YYYY-MM-DD) for statutory dates; `DateTimeISO` (UTC) for events. */
export const LocalDate = LocalDateResolver;
export const DateTime = DateTimeISOResolver;
