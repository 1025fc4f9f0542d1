// Enumerations of the domain, free of zod so that pages can import them without shipping a validator.
export const LEVELS = ["national", "provincial", "municipal", "enterprise"] as const;
export const SECTORS = ["traditional", "leading", "emerging"] as const;
export const RESULT_KINDS = ["software", "process", "equipment", "standard", "training", "other"] as const;
export const RESULT_STATUSES = ["piloting", "in-use", "transferred"] as const;
export const PATENT_KINDS = ["invention", "utility-model", "design", "software-copyright"] as const;
export const PATENT_STATUSES = ["filed", "granted"] as const;
export const NEED_STATUSES = ["open", "dispatched", "accepted", "delivered", "closed"] as const;

export type Level = (typeof LEVELS)[number];
export type Sector = (typeof SECTORS)[number];
