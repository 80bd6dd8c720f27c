/** One entry of the sandbox feed, as the adapter stores and reads it. */
export interface SandboxStoredPost {
  id: string;
  institutionId: string;
  channelId: string;
  idempotencyKey: string;
  text: string;
  thread: string[];
  media: unknown[];
  publishedAt: Date;
}

export type NewSandboxPost = Omit<SandboxStoredPost, 'id'>;

/**
 * Where the sandbox adapter keeps its feed. Declared here so the adapter needs no database of its own:
 * modules/sandbox implements it (SandboxRepository) and provides it under SANDBOX_STORE.
 */
export interface SandboxStore {
  /** Stores the post, or answers null when a post with its idempotency key exists (nothing is written). */
  insert(post: NewSandboxPost): Promise<SandboxStoredPost | null>;
  findByIdempotencyKey(institutionId: string, idempotencyKey: string): Promise<SandboxStoredPost | null>;
  findByIds(institutionId: string, channelId: string, ids: string[]): Promise<SandboxStoredPost[]>;
  deleteByIds(institutionId: string, channelId: string, ids: string[]): Promise<void>;
}

/** Injection token of the SandboxStore. */
export const SANDBOX_STORE = Symbol('SANDBOX_STORE');
