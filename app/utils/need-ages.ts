/** The demand base's age filter (days since posting): shared by the page, which shows the choices, and the server, which reads them. */
export const NEED_AGES = ["7", "30", "90"] as const;
