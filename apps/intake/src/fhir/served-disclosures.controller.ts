import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, RequirePermission } from '@stepwise/security';
import { DiscloseServedResources } from './disclose-served-resources';
import { type DisclosureOutcome } from './fhir-disclosure';
import { ServedDisclosureDto, ServedDisclosureView } from './served-disclosure.dto';

/** The FHIR disclosures other services (service principals) serve and intake decides and accounts. */
@ApiTags('internal (service principals)')
@Controller('internal')
export class ServedDisclosuresController {
  constructor(private readonly discloseServed: DiscloseServedResources) {}

  @Post('fhir-disclosures')
  @HttpCode(200)
  @RequirePermission('internal:call')
  @ApiOkResponse({
    type: ServedDisclosureView,
    description:
      '{ allowed: true, body, consentId, categories } (audited, RecordsDisclosed published) or { allowed: false, reason } (audited as denied)',
  })
  disclose(@CurrentActor() actor: Actor, @Body() body: ServedDisclosureDto): Promise<DisclosureOutcome> {
    return this.discloseServed.execute(actor, body);
  }
}
