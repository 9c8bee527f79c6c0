import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, Idempotent, ParseIdPipe, RequirePermission } from '@stepwise/security';
import { AddendumDto, CreateNoteDto, NoteContentDto, NoteView, SignatureDto } from './note.dto';
import { AddAddendum } from './add-addendum';
import { CosignNote } from './cosign-note';
import { CreateNote } from './create-note';
import { ReadNote } from './read-note';
import { SignNote } from './sign-note';
import { UpdateDraft } from './update-draft';

@ApiTags('notes')
@Controller('notes')
export class NotesController {
  constructor(
    private readonly creating: CreateNote,
    private readonly reading: ReadNote,
    private readonly updating: UpdateDraft,
    private readonly signing: SignNote,
    private readonly cosigning: CosignNote,
    private readonly amending: AddAddendum,
  ) {}

  @Post()
  @Idempotent()
  @RequirePermission('notes:write')
  @ApiCreatedResponse({
    type: NoteView,
    description:
      'A draft; 422 for missing sections, a missing or identical individual section, or foreign goals',
  })
  create(@CurrentActor() actor: Actor, @Body() body: CreateNoteDto): Promise<NoteView> {
    return this.creating.create(actor, body);
  }

  @Get(':noteId')
  @RequirePermission('notes:read')
  @ApiOkResponse({
    type: NoteView,
    description: 'The note in plain text (decrypted for this reader; audited)',
  })
  read(@CurrentActor() actor: Actor, @Param('noteId', ParseIdPipe) noteId: string): Promise<NoteView> {
    return this.reading.read(actor, noteId);
  }

  @Put(':noteId')
  @RequirePermission('notes:write')
  @ApiOkResponse({ type: NoteView, description: 'Replaces a draft; 409 note-signed once signed' })
  update(
    @CurrentActor() actor: Actor,
    @Param('noteId', ParseIdPipe) noteId: string,
    @Body() body: NoteContentDto,
  ): Promise<NoteView> {
    return this.updating.update(actor, noteId, body);
  }

  @Post(':noteId/signature')
  @HttpCode(200)
  @RequirePermission('notes:write')
  @ApiOkResponse({
    type: NoteView,
    description: 'Signs the draft: NoteSigned per client, or awaiting-cosign where the track requires it',
  })
  sign(
    @CurrentActor() actor: Actor,
    @Param('noteId', ParseIdPipe) noteId: string,
    @Body() _body: SignatureDto,
  ): Promise<NoteView> {
    return this.signing.sign(actor, noteId);
  }

  @Post(':noteId/cosignature')
  @HttpCode(200)
  @RequirePermission('notes:cosign')
  @ApiOkResponse({ type: NoteView, description: "A supervisor's co-signature; then NoteSigned per client" })
  cosign(
    @CurrentActor() actor: Actor,
    @Param('noteId', ParseIdPipe) noteId: string,
    @Body() _body: SignatureDto,
  ): Promise<NoteView> {
    return this.cosigning.cosign(actor, noteId);
  }

  @Post(':noteId/addenda')
  @Idempotent()
  @RequirePermission('notes:write')
  @ApiCreatedResponse({
    type: NoteView,
    description: 'An addendum to a signed note (a draft is edited instead)',
  })
  addAddendum(
    @CurrentActor() actor: Actor,
    @Param('noteId', ParseIdPipe) noteId: string,
    @Body() body: AddendumDto,
  ): Promise<NoteView> {
    return this.amending.addAddendum(actor, noteId, body.text);
  }
}
