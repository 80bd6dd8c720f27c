import { Catch } from '@nestjs/common';
import type { Request, Response } from 'express';
import { HttpExceptionFilter, type ErrorBody } from '#src/common/http-exception.filter.js';
import { isWebPath, renderWebError } from '#src/web/web-errors.js';

/**
 * The application's error filter: errors on the staff pages are pages (or a redirect to the login
 * page); everything else, the REST API above all, is answered as JSON by the common filter.
 */
@Catch()
export class WebExceptionFilter extends HttpExceptionFilter {
  protected override respond(req: Request | undefined, res: Response, body: ErrorBody): void {
    if (req && isWebPath(req.path)) return renderWebError(req, res, body);
    super.respond(req, res, body);
  }
}
