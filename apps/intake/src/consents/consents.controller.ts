import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  type Actor,
  CurrentActor,
  Idempotent,
  type Page,
  ParseIdPipe,
  RequirePermission,
} from '@stepwise/security';
import { ConsentListQuery, ConsentView, GrantConsentDto, RevokeConsentDto } from './consent.dto';
import { GrantConsent } from './grant-consent';
import { ListConsents } from './list-consents';
import { ReadConsent } from './read-consent';
import { RevokeConsent } from './revoke-consent';

@ApiTags('consents (42 CFR Part 2)')
@Controller()
export class ConsentsController {
  constructor(
    private readonly grantConsent: GrantConsent,
    private readonly listConsents: ListConsents,
    private readonly readConsent: ReadConsent,
    private readonly revokeConsent: RevokeConsent,
  ) {}

  @Post('clients/:clientId/consents')
  @Idempotent()
  @RequirePermission('consents:write')
  @ApiCreatedResponse({
    type: ConsentView,
    description: 'Publishes ConsentGranted; each missing §2.31 element is named in a 422 consent-incomplete',
  })
  grant(
    @CurrentActor() actor: Actor,
    @Param('clientId', ParseIdPipe) clientId: string,
    @Body() body: GrantConsentDto,
  ): Promise<ConsentView> {
    return this.grantConsent.execute(actor, clientId, body);
  }

  @Get('clients/:clientId/consents')
  @RequirePermission('consents:read')
  @ApiOkResponse({ description: "A page of the client's consents, oldest first" })
  list(
    @CurrentActor() actor: Actor,
    @Param('clientId', ParseIdPipe) clientId: string,
    @Query() query: ConsentListQuery,
  ): Promise<Page<ConsentView>> {
    return this.listConsents.execute(actor, clientId, query);
  }

  @Get('consents/:consentId')
  @RequirePermission('consents:read')
  @ApiOkResponse({ type: ConsentView })
  read(@CurrentActor() actor: Actor, @Param('consentId', ParseIdPipe) id: string): Promise<ConsentView> {
    return this.readConsent.execute(actor, id);
  }

  @Post('consents/:consentId/revocation')
  @HttpCode(200)
  @RequirePermission('consents:write')
  @ApiOkResponse({
    type: ConsentView,
    description: 'Records the written revocation; publishes ConsentRevoked',
  })
  revoke(
    @CurrentActor() actor: Actor,
    @Param('consentId', ParseIdPipe) id: string,
    @Body() body: RevokeConsentDto,
  ): Promise<ConsentView> {
    return this.revokeConsent.execute(actor, id, body);
  }
}
