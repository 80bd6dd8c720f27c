import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '#src/config/config.js';
import type { Principal } from '#src/modules/access/principal.js';
import { CurrentPrincipal, Public, SESSION_COOKIE } from '#src/modules/auth/auth.decorators.js';
import { AuthService } from '#src/modules/auth/auth.service.js';
import { ChangePasswordDto, LoginDto } from '#src/modules/auth/dto/login.dto.js';
import { MeService } from '#src/modules/auth/me.service.js';

@ApiTags('auth')
@Controller('api')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly me: MeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** E-mail and password for a bearer token and an HttpOnly, SameSite=Lax session cookie. Throttled: 429 with Retry-After. */
  @Public()
  @Post('auth/login')
  @HttpCode(200)
  async login(@Body() body: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const result = await this.auth.login(body.email, body.password, { ip: req.ip, userAgent: req.headers['user-agent'] });
    res.cookie(SESSION_COOKIE, result.token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.publicBaseUrl?.startsWith('https:') ?? false,
      path: '/',
      // A lifetime, not an instant: the browser judges Expires by its own clock, which need not be the app's.
      maxAge: this.config.sessionTtlMinutes * 60_000,
    });
    return { token: result.token, tokenType: 'Bearer', expiresAt: result.expiresAt, user: result.user };
  }

  @ApiBearerAuth()
  @Post('auth/logout')
  @HttpCode(204)
  async logout(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(principal);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @ApiBearerAuth()
  @Get('me')
  whoAmI(@CurrentPrincipal() principal: Principal) {
    return this.me.describe(principal);
  }

  @ApiBearerAuth()
  @Post('me/password')
  @HttpCode(204)
  async changePassword(@CurrentPrincipal() principal: Principal, @Body() body: ChangePasswordDto): Promise<void> {
    await this.auth.changePassword(principal, body.currentPassword, body.newPassword);
  }
}
