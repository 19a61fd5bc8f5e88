/** Query keys of the developer portal, shared by the pages that read and write them. */

export const analysisQueryKey = (id: string) => ["developer", "analysis", id] as const;
export const analysesQueryKey = (page: number) => ["developer", "analyses", page] as const;
export const ANALYSES_PREFIX = ["developer", "analyses"] as const;
