import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  type Actor,
  CurrentActor,
  Idempotent,
  type Page,
  ParseIdPipe,
  RequirePermission,
} from '@stepwise/security';
import { ClientSearchDto, ClientSearchPage, type ClientSummaryView } from './client-search.dto';
import { ClientView, CreateClientDto, UpdateClientDto } from './client.dto';
import { ReadClient } from './read-client';
import { RegisterClient } from './register-client';
import { SearchClients } from './search-clients';
import { UpdateClient } from './update-client';

@ApiTags('clients')
@Controller('clients')
export class ClientsController {
  constructor(
    private readonly registerClient: RegisterClient,
    private readonly readClient: ReadClient,
    private readonly updateClient: UpdateClient,
    private readonly searchClients: SearchClients,
  ) {}

  @Post()
  @Idempotent()
  @RequirePermission('clients:write', { site: { body: 'siteId' } })
  @ApiCreatedResponse({ type: ClientView })
  create(@CurrentActor() actor: Actor, @Body() body: CreateClientDto): Promise<ClientView> {
    return this.registerClient.execute(actor, body);
  }

  /** A POST, so that the name and birth date searched for stay out of the URL (and every access log). */
  @Post('search')
  @HttpCode(200)
  @RequirePermission('clients:read', { site: { body: 'siteId' } })
  @ApiOkResponse({
    type: ClientSearchPage,
    description:
      "A site's clients by name prefix, date of birth or id (criteria in the body, never the URL); each client found is audited",
  })
  search(@CurrentActor() actor: Actor, @Body() body: ClientSearchDto): Promise<Page<ClientSummaryView>> {
    return this.searchClients.execute(actor, body);
  }

  @Get(':clientId')
  @RequirePermission('clients:read')
  @ApiOkResponse({ type: ClientView, description: 'Demographics and contacts; the read is audited' })
  read(@CurrentActor() actor: Actor, @Param('clientId', ParseIdPipe) id: string): Promise<ClientView> {
    return this.readClient.execute(actor, id);
  }

  @Patch(':clientId')
  @RequirePermission('clients:write')
  @ApiOkResponse({
    type: ClientView,
    description: 'Changes demographics or contacts; audited, never published',
  })
  update(
    @CurrentActor() actor: Actor,
    @Param('clientId', ParseIdPipe) id: string,
    @Body() body: UpdateClientDto,
  ): Promise<ClientView> {
    return this.updateClient.execute(actor, id, body);
  }
}
