import { type INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ProblemDocument } from '../problems/problem-document';

/**
 * Serves the OpenAPI document at /docs-json and its UI at /docs (outside the /v1 prefix and outside Nest's
 * routing, so no guard applies: the document describes the API and holds no client data).
 */
export function setupOpenApi(app: INestApplication, service: string): void {
  const config = new DocumentBuilder()
    .setTitle(`Stepwise ${service} API`)
    .setDescription(
      `The ${service} service of Stepwise. Every /v1 route needs a bearer token; errors are ` +
        'application/problem+json with a stable `code`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ProblemDocument] });
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    raw: ['json'],
    useGlobalPrefix: false,
    customSiteTitle: `Stepwise ${service} API`,
  });
}
