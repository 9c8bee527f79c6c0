import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, ParseIdPipe, RequirePermission } from '@stepwise/security';
import { ContactQuery, ContactView } from '../clients/client.dto';
import { FindClientContact } from '../clients/find-client-contact';
import { DisclosureCheckDto, DisclosureDecisionView } from './consent.dto';
import { CheckDisclosure } from './check-disclosure';
import { FindFamilyContact } from './find-family-contact';

/**
 * What other services (service principals, network-wide) ask intake; the notifications service builds its
 * client against these paths.
 */
@ApiTags('internal (service principals)')
@Controller('internal')
export class InternalController {
  constructor(
    private readonly checkDisclosure: CheckDisclosure,
    private readonly findFamilyContact: FindFamilyContact,
    private readonly findClientContact: FindClientContact,
  ) {}

  @Post('disclosure-checks')
  @HttpCode(200)
  @RequirePermission('internal:call')
  @ApiOkResponse({
    type: DisclosureDecisionView,
    description: '{ allowed: true, consentId } or { allowed: false, reason }; audited',
  })
  check(@CurrentActor() actor: Actor, @Body() body: DisclosureCheckDto): Promise<DisclosureDecisionView> {
    return this.checkDisclosure.execute(actor, body);
  }

  @Get('clients/:clientId/contact')
  @RequirePermission('internal:call')
  @ApiOkResponse({ type: ContactView, description: 'Only the channel asked for; audited' })
  contact(
    @CurrentActor() actor: Actor,
    @Param('clientId', ParseIdPipe) clientId: string,
    @Query() query: ContactQuery,
  ): Promise<ContactView> {
    return this.findClientContact.execute(actor, clientId, query.channel);
  }

  @Get('clients/:clientId/family-members/:recipientId/contact')
  @RequirePermission('internal:call')
  @ApiOkResponse({
    type: ContactView,
    description: "A family member named in the client's current consent, one channel only; audited",
  })
  familyContact(
    @CurrentActor() actor: Actor,
    @Param('clientId', ParseIdPipe) clientId: string,
    @Param('recipientId', ParseIdPipe) recipientId: string,
    @Query() query: ContactQuery,
  ): Promise<ContactView> {
    return this.findFamilyContact.execute(actor, clientId, recipientId, query.channel);
  }
}
