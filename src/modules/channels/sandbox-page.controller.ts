import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { notFound } from '#src/common/domain-error.js';
import { uuid } from '#src/common/uuid-param.js';
import type { Principal } from '#src/modules/access/principal.js';
import { CurrentPrincipal } from '#src/modules/auth/auth.decorators.js';
import { ChannelsService } from '#src/modules/channels/channels.service.js';
import { SandboxAdapter } from '#src/platforms/sandbox.adapter.js';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The sandbox feed as a page (where a sandbox post's URL points): what a
 * training channel "published", labelled so nobody mistakes it for the real
 * thing. The staff web application (issue 7) will restyle it; the rules stay:
 * logged-in members only, every text escaped.
 */
@ApiExcludeController()
@Controller('sandbox')
export class SandboxPageController {
  constructor(
    private readonly channels: ChannelsService,
    private readonly sandbox: SandboxAdapter,
  ) {}

  @Get(':channelId')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
  async page(@CurrentPrincipal() p: Principal, @Param('channelId', uuid('channelId')) channelId: string): Promise<string> {
    const institutionId = await this.channels.institutionOfSandbox(p, channelId);
    if (!institutionId) throw notFound('sandbox feed');
    const channel = await this.channels.get(p, institutionId, channelId);
    if (channel.platform !== 'sandbox') throw notFound('sandbox feed');
    const [items] = await this.sandbox.feed(institutionId, channelId, 200, 0);
    const rows = items
      .map((i) => {
        const e = i.engagement;
        return `<li id="${escapeHtml(i.id)}"><p>${escapeHtml(i.text)}</p>${i.thread.map((t) => `<p class="reply">${escapeHtml(t)}</p>`).join('')}<small><time datetime="${i.publishedAt.toISOString()}">${i.publishedAt.toISOString()}</time> · ${e.views} views · ${e.likes} likes · ${e.reposts} reposts · ${e.replies} replies (simulated)</small></li>`;
      })
      .join('\n');
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>SANDBOX feed: ${escapeHtml(channel.displayName)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem;color:#1a1a1a}
.banner{background:#7a0000;color:#fff;padding:.75rem 1rem;font-weight:700}li{list-style:none;border-bottom:1px solid #ccc;padding:.5rem 0}
.reply{margin-left:1.5rem;border-left:3px solid #999;padding-left:.5rem}small{color:#444}</style></head>
<body><p class="banner" role="alert">SANDBOX: training only. Nothing on this page was published on any platform; engagement is simulated.</p>
<h1>${escapeHtml(channel.displayName)}</h1>
<ul>${rows || '<li>Nothing published on this sandbox channel yet.</li>'}</ul></body></html>`;
  }
}
