import { randomUUID } from 'node:crypto';
import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from '#src/common/domain-error.js';
import { HTTP_STATUS_OF_CODE } from '#src/common/error-codes.js';

/** The one error shape of the HTTP surface: { statusCode, code, message, details? }. */
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown;
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable_entity',
  429: 'too_many_requests',
  503: 'service_unavailable',
};

/**
 * Known errors answer with their status and a code (a DomainError's status is its code's row in
 * HTTP_STATUS_OF_CODE); anything else is logged with an id and answered as a 500 that reveals
 * nothing of the internals. The web layer extends this filter to answer its pages with pages.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    const retryAfter = (exception as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
    const req = host.switchToHttp().getRequest<Request>();
    this.respond(req, res, this.bodyOf(exception));
  }

  /** Answers the error: JSON here; the web layer's filter answers its own paths with a page. */
  protected respond(_req: Request | undefined, res: Response, body: ErrorBody): void {
    res.status(body.statusCode).json(body);
  }

  private statusOf(exception: unknown): number {
    if (exception instanceof DomainError) return HTTP_STATUS_OF_CODE[exception.code];
    if (exception instanceof HttpException) return exception.getStatus();
    // Errors thrown by Express middleware (body parser: bad JSON, too large) carry a 4xx status.
    const status = (exception as { status?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) return status;
    return HttpStatus.INTERNAL_SERVER_ERROR;
  }

  private bodyOf(exception: unknown): ErrorBody {
    const statusCode = this.statusOf(exception);
    if (statusCode >= 500 && !(exception instanceof HttpException)) {
      const errorId = randomUUID();
      this.logger.error({ err: exception, errorId }, 'unhandled error');
      return { statusCode, code: 'internal_error', message: `Internal error; reference ${errorId}` };
    }
    const response = exception instanceof HttpException ? exception.getResponse() : undefined;
    const fromResponse = typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
    const code = typeof fromResponse.code === 'string' ? fromResponse.code : (CODE_BY_STATUS[statusCode] ?? 'error');
    const rawMessage = fromResponse.message ?? (exception as Error).message;
    const message = Array.isArray(rawMessage) ? rawMessage.join('; ') : String(rawMessage);
    const details = fromResponse.details ?? (Array.isArray(rawMessage) ? rawMessage : undefined);
    return details === undefined ? { statusCode, code, message } : { statusCode, code, message, details };
  }
}
