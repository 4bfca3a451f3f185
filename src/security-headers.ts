// Security headers for every answer, the page included: Hono's secureHeaders with a CSP that lets
// scripts, styles and fonts come only from this origin, and images, uploads and downloads reach
// only this origin and the configured bucket.
import type { MiddlewareHandler } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import type { Config } from './config'
import type { AppEnv } from './env'
import { bucketUrl } from './s3/urls'

const byConfig = new WeakMap<Config, MiddlewareHandler>()

function forConfig(config: Config): MiddlewareHandler {
  let handler = byConfig.get(config)
  if (!handler) {
    const bucket = new URL(bucketUrl(config.s3)).origin
    handler = secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", bucket, 'blob:', 'data:'],
        connectSrc: ["'self'", bucket],
        formAction: ["'self'", bucket],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
      },
      // Thumbnails come from the bucket's origin without CORS; COEP would block them.
      crossOriginEmbedderPolicy: false,
    })
    byConfig.set(config, handler)
  }
  return handler
}

export function securityHeaders(): MiddlewareHandler<AppEnv> {
  return async function securityHeaders(c, next) {
    return forConfig(c.var.config)(c, next)
  }
}
