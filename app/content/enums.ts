// Enumerations of the domain, free of zod so that pages can import them without shipping a validator.
export const LEVELS = ["national", "provincial", "municipal", "enterprise"] as const;
export const SECTORS = ["traditional", "leading", "emerging"] as const;
export const RESULT_KINDS = ["software", "process", "equipment", "standard", "training", "other"] as const;
export const RESULT_STATUSES = ["piloting", "in-use", "transferred"] as const;
export const PATENT_KINDS = ["invention", "utility-model", "design", "software-copyright"] as const;
export const PATENT_STATUSES = ["filed", "granted"] as const;
/** Every status a need can be in (app/models/need-loop.server.ts moves it between them). */
export const NEED_STATUSES = ["draft", "open", "dispatched", "accepted", "delivered", "closed", "withdrawn"] as const;
/** The loop's main path, as the need page's stepper shows it: 点单 → 配送 → 接单 → 送技 → 完结. */
export const NEED_PATH = ["open", "dispatched", "accepted", "delivered", "closed"] as const;
export const DISPATCH_STATES = ["dispatched", "accepted", "declined", "delivered"] as const;

export type Level = (typeof LEVELS)[number];
export type Sector = (typeof SECTORS)[number];
