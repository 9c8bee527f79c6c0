import { REDACTED, isPhiKey, maskPhi, safeError, scrubText } from './phi-redaction';

describe(scrubText.name, () => {
  it.each([
    ['Sent to jane.doe+iop@example.org today', 'Sent to [email] today'],
    ['call (555) 123-4567 or +1 555.123.4567', 'call [phone] or [phone]'],
    ['mobile 5551234567.', 'mobile [phone].'],
    ['ssn 123-45-6789', 'ssn [ssn]'],
  ])('masks %p', (text, expected) => {
    expect(scrubText(text)).toBe(expected);
  });

  it.each([
    'client 0193a0c4-5555-7123-8456-555123456789 admitted',
    'Applied migrations: CreateOutbox1763856000000',
    'GET /v1/clients/0193a0c4-0000-7000-8000-000000000001 200 in 12 ms',
    '2026-11-23T23:42:57.810Z',
  ])('leaves ids, migration names and timestamps alone: %p', (text) => {
    expect(scrubText(text)).toBe(text);
  });
});

describe(maskPhi.name, () => {
  it('masks client-data keys at any depth and scrubs the remaining strings', () => {
    expect(
      maskPhi({
        clientId: 'c-1',
        client: {
          firstName: 'Ada',
          last_name: 'Lovelace',
          dateOfBirth: '1815-12-10',
          homePhone: '555-123-4567',
        },
        contacts: [{ email: 'ada@example.org', address: { street: '1 Main St' } }],
        note: { text: 'feels better' },
        message: 'reach me at ada@example.org',
      }),
    ).toEqual({
      clientId: 'c-1',
      client: { firstName: REDACTED, last_name: REDACTED, dateOfBirth: REDACTED, homePhone: REDACTED },
      contacts: [{ email: REDACTED, address: REDACTED }],
      note: REDACTED,
      message: 'reach me at [email]',
    });
  });

  it('leaves serializer-owned top-level keys alone, and cuts cycles', () => {
    const request = { headers: { authorization: 'Bearer x' } };
    const cyclic: Record<string, unknown> = { id: 1 };
    cyclic['self'] = cyclic;
    expect(maskPhi({ req: request, cyclic }, new Set(['req']))).toEqual({
      req: request,
      cyclic: { id: 1, self: '[Circular]' },
    });
  });

  it('knows the PHI keys and not the operational ones', () => {
    for (const key of [
      'name',
      'First-Name',
      'DOB',
      'phone_number',
      'clientEmail',
      'postalCode',
      'noteText',
      'authorization',
    ])
      expect(isPhiKey(key)).toBe(true);
    for (const key of ['clientId', 'siteId', 'requestId', 'statusCode', 'context', 'durationMs', 'level'])
      expect(isPhiKey(key)).toBe(false);
  });
});

describe(safeError.name, () => {
  it('reduces a database error to its SQLSTATE and identifiers, dropping the quoted value', () => {
    const error = Object.assign(new Error('invalid input syntax for type uuid: "Zelda Quux"'), {
      name: 'QueryFailedError',
      code: '22P02',
      table: 'clients',
      parameters: ['Zelda Quux'],
    });
    const safe = safeError(error);
    expect(safe).toMatchObject({
      type: 'QueryFailedError',
      message: 'database error 22P02',
      code: '22P02',
      table: 'clients',
    });
    expect(JSON.stringify(safe)).not.toContain('Zelda');
  });

  it('scrubs other errors', () => {
    expect(safeError(new Error('no reply from bob@example.org'))).toMatchObject({
      type: 'Error',
      message: 'no reply from [email]',
    });
  });
});
