import { seedInstitution, type TestApi } from '#test/support/api.js';

export type Seed = Awaited<ReturnType<typeof seedInstitution>>;

export interface Publication {
  targetId: string;
  postId: string;
  text: string;
}

/**
 * Data for report tests: posts written through the API, then moved along with SQL (publishing
 * through the queue is tested elsewhere and would take minutes for a year of posts), and
 * engagement snapshots appended with SQL so that the rollup trigger keeps its tables.
 */
export class ReportFixtures {
  constructor(
    readonly api: TestApi,
    readonly seed: Seed,
  ) {}

  static async create(api: TestApi, slug: string, options: { transparency?: boolean } = {}): Promise<ReportFixtures> {
    const seed = await seedInstitution(api, slug);
    if (options.transparency) {
      const res = await api.admin.patch(seed.base, { transparencyEnabled: true });
      if (res.status !== 200) throw new Error(JSON.stringify(res.body));
    }
    return new ReportFixtures(api, seed);
  }

  sql<T = any>(query: string, params: unknown[] = []): Promise<T[]> {
    return this.api.running.runtime.dataSource.query(query, params);
  }

  async campaign(title: string, body: Record<string, unknown> = {}): Promise<string> {
    const res = await this.api.admin.post(`${this.seed.base}/campaigns`, { title, startsOn: '2026-01-01', endsOn: '2026-12-31', ...body });
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    return res.body.id;
  }

  async channel(platform: string, displayName: string, settings: Record<string, unknown> = {}): Promise<string> {
    const res = await this.api.admin.post(`${this.seed.base}/channels`, {
      platform,
      displayName,
      settings,
      credentials:
        platform === 'sandbox'
          ? undefined
          : {
              accessToken: 'tok',
              botToken: '1:tok',
              pageAccessToken: 'tok',
              appPassword: 'x',
              handle: 'x.example',
              identifier: 'x.example',
            },
    });
    if (res.status !== 201) throw new Error(`${platform}: ${JSON.stringify(res.body)}`);
    return res.body.id;
  }

  /** A post in draft through the API; its targets are then set with SQL to `status` at the given times. */
  async post(
    campaignId: string,
    channelIds: string[],
    text: string,
    target: { status: string; scheduledAt?: string; publishedAt?: string; withdrawnAt?: string; postStatus?: string } = { status: 'draft' },
  ): Promise<Publication[]> {
    const res = await this.api.admin.post(`${this.seed.base}/posts`, {
      campaignId,
      channelIds,
      variants: [
        { language: 'ro', text },
        { language: 'hu', text: `${text} (hu)` },
      ],
    });
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    const postId: string = res.body.id;
    const postStatus = target.postStatus ?? (['draft', 'in_review', 'rejected'].includes(target.status) ? target.status : 'approved');
    await this.sql(
      `UPDATE posts SET status = $2, approved_at = CASE WHEN $2 = 'approved' THEN $4::timestamptz END, scheduled_at = $3 WHERE id = $1`,
      [postId, postStatus, target.scheduledAt ?? null, this.api.clock.now()],
    );
    await this.sql(
      `UPDATE publication_targets SET status = $2, scheduled_at = $3, published_at = $4, withdrawn_at = $5,
              external_id = CASE WHEN $4::timestamptz IS NULL THEN NULL ELSE 'ext-' || id END,
              external_url = CASE WHEN $4::timestamptz IS NULL THEN NULL ELSE 'https://social.example/@city/' || id END
        WHERE post_id = $1`,
      [postId, target.status, target.scheduledAt ?? null, target.publishedAt ?? null, target.withdrawnAt ?? null],
    );
    const byChannel = await this.sql<{ id: string; channel_id: string }>(
      `SELECT id, channel_id FROM publication_targets WHERE post_id = $1`,
      [postId],
    );
    return channelIds.map((c) => ({ targetId: byChannel.find((t) => t.channel_id === c)!.id, postId, text }));
  }

  /** Appends engagement snapshots of one target: [collectedAt, likes, reposts, replies, quotes, impressions, clicks]. */
  async snapshots(targetId: string, rows: Array<[string, ...(number | null)[]]>): Promise<void> {
    for (const [at, likes, reposts, replies, quotes, impressions, clicks] of rows) {
      await this.sql(
        `INSERT INTO metric_snapshots (target_id, institution_id, collected_at, likes, reposts, replies, quotes, impressions, clicks) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [targetId, this.seed.id, at, likes ?? null, reposts ?? null, replies ?? null, quotes ?? null, impressions ?? null, clicks ?? null],
      );
    }
  }

  /**
   * The independent figure: each target's newest raw snapshot collected before `asOf`, summed over
   * the targets published in [from, to) (on the given channels, or all of them).
   */
  async directAggregate(from: string, to: string, asOf: string, channelIds?: string[]) {
    const [row] = await this.sql(
      `SELECT count(*)::int AS posts, ${['likes', 'reposts', 'replies', 'quotes', 'impressions', 'clicks'].map((m) => `sum(s.${m})::float8 AS ${m}`).join(', ')}
         FROM publication_targets t
         LEFT JOIN (SELECT DISTINCT ON (target_id) * FROM metric_snapshots WHERE institution_id = $1 AND collected_at < $4 ORDER BY target_id, collected_at DESC) s ON s.target_id = t.id
        WHERE t.institution_id = $1 AND t.status IN ('published', 'withdrawn') AND t.published_at >= $2 AND t.published_at < $3
          AND ($5::uuid[] IS NULL OR t.channel_id = ANY($5))`,
      [this.seed.id, from, to, asOf, channelIds ?? null],
    );
    return row as Record<string, number | null>;
  }
}
