/**
 * Renders the AsyncAPI document as a Markdown catalogue for people: one section per topic, one per event,
 * with its record key, confidentiality and a field table. Built from the same document subscribers read, so
 * the two cannot disagree.
 */

interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly format?: string;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly items?: JsonSchema;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly description?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly $ref?: string;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
}

interface AsyncApiMessage {
  readonly name: string;
  readonly title: string;
  readonly summary?: string;
  readonly description?: string;
  readonly payload: { readonly $ref: string };
  readonly examples?: readonly { readonly payload: unknown }[];
}

interface AsyncApiChannel {
  readonly address: string;
  readonly description?: string;
  readonly messages: Readonly<Record<string, { readonly $ref: string }>>;
  readonly bindings?: {
    readonly kafka?: { readonly partitions?: number; readonly topicConfiguration?: Record<string, unknown> };
  };
}

export interface AsyncApiDocumentView {
  readonly info: { readonly title: string; readonly version: string; readonly description?: string };
  readonly channels: Readonly<Record<string, AsyncApiChannel>>;
  readonly components: {
    readonly messages: Readonly<Record<string, AsyncApiMessage>>;
    readonly schemas: Readonly<Record<string, JsonSchema>>;
  };
}

const refName = (ref: string): string => ref.slice(ref.lastIndexOf('/') + 1);
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function describeType(schema: JsonSchema, schemas: AsyncApiDocumentView['components']['schemas']): string {
  if (schema.$ref !== undefined) return describeType(schemas[refName(schema.$ref)] ?? {}, schemas);
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.enum !== undefined) return schema.enum.map((v) => `\`${String(v)}\``).join(', ');
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants !== undefined) return variants.map((v) => describeType(v, schemas)).join(' or ');
  const type = Array.isArray(schema.type) ? schema.type.join(' or ') : (schema.type ?? 'object');
  if (type === 'array' && schema.items !== undefined)
    return `array of ${describeType(schema.items, schemas)}`;
  const range =
    schema.minimum !== undefined || schema.maximum !== undefined
      ? ` (${schema.minimum ?? '…'}–${schema.maximum ?? '…'})`
      : '';
  return `${type}${schema.format === undefined ? '' : ` (${schema.format})`}${range}`;
}

/** Field rows of an object schema, nested objects flattened as `parent.child`. */
function fieldRows(
  schema: JsonSchema,
  schemas: AsyncApiDocumentView['components']['schemas'],
  prefix = '',
): string[] {
  const resolved = schema.$ref === undefined ? schema : (schemas[refName(schema.$ref)] ?? {});
  const required = new Set(resolved.required ?? []);
  return Object.entries(resolved.properties ?? {}).flatMap(([name, property]) => {
    const target = property.$ref === undefined ? property : (schemas[refName(property.$ref)] ?? {});
    const path = `${prefix}${name}`;
    const nested = target.properties !== undefined ? fieldRows(target, schemas, `${path}.`) : [];
    const itemObject = target.type === 'array' && target.items !== undefined ? target.items : undefined;
    const itemSchema =
      itemObject?.$ref === undefined ? itemObject : (schemas[refName(itemObject.$ref)] ?? undefined);
    const items = itemSchema?.properties !== undefined ? fieldRows(itemSchema, schemas, `${path}[].`) : [];
    const type = target.properties !== undefined ? 'object' : describeType(property, schemas);
    return [
      `| \`${path}\` | ${cell(type)} | ${required.has(name) ? 'yes' : 'no'} | ${cell(property.description ?? target.description ?? '')} |`,
      ...nested,
      ...items,
    ];
  });
}

export function renderEventCatalogue(document: AsyncApiDocumentView): string {
  const { messages, schemas } = document.components;
  const lines: string[] = [
    `# ${document.info.title} (v${document.info.version})`,
    '',
    '<!-- Generated from asyncapi.json by libs/contracts (npx tsx tools/contracts/generate.ts); do not edit. -->',
    '',
    document.info.description ?? '',
    '',
    'Every event is a CloudEvents 1.0 record in Kafka binary mode: the JSON payload below is the record value;',
    '`ce_id`, `ce_type`, `ce_source`, `ce_time`, `ce_subject` (the record key), `ce_siteid`, `ce_correlationid`,',
    '`ce_causationid`, `ce_confidentiality` and `traceparent` are headers. Consumers deduplicate on `ce_id`.',
    '',
    '## Topics',
    '',
    '| Topic | Partitions | Retention | Events |',
    '| --- | --- | --- | --- |',
  ];
  const channels = Object.values(document.channels).sort((a, b) => a.address.localeCompare(b.address));
  for (const channel of channels) {
    const kafka = channel.bindings?.kafka;
    const config = kafka?.topicConfiguration ?? {};
    const retention = config['retention.ms'];
    const policy = Array.isArray(config['cleanup.policy'])
      ? (config['cleanup.policy'] as string[]).join(',')
      : '';
    const retentionText =
      retention === -1
        ? 'forever'
        : typeof retention === 'number'
          ? `${Math.round(retention / 86_400_000)} days`
          : '';
    lines.push(
      `| \`${channel.address}\` | ${kafka?.partitions ?? ''} | ${[retentionText, policy === 'compact' ? 'compacted' : ''].filter(Boolean).join(', ')} | ${Object.keys(channel.messages).length} |`,
    );
  }
  for (const channel of channels) {
    const names = Object.values(channel.messages).map((m) => refName(m.$ref));
    if (names.length === 0) continue;
    lines.push('', `## \`${channel.address}\``, '', channel.description ?? '', '');
    for (const name of names.sort()) {
      const message = messages[name];
      if (message === undefined) continue;
      lines.push(`### ${message.title}`, '', message.summary ?? '', '', message.description ?? '', '');
      lines.push('| Field | Type | Required | Meaning |', '| --- | --- | --- | --- |');
      lines.push(...fieldRows(message.payload, schemas), '');
      const example = message.examples?.[0]?.payload;
      if (example !== undefined) {
        lines.push('Example payload:', '', '```json', JSON.stringify(example, null, 2), '```', '');
      }
    }
  }
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
