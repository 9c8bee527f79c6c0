import { ContractViolation, ContractViolationCode, describeViolations } from '../envelope/contract-violation';
import { type EventDefinition } from '../events/define-event';
import { checkPayload, type PayloadViolation } from '../validation/violations';
import { eventDefinition, type EventPayload, type EventTypeName } from './registry';

/** Every rule the data breaks as a payload of `type` (empty when valid). Unknown properties are violations. */
export function findPayloadViolations(type: EventTypeName, data: unknown): readonly PayloadViolation[] {
  const definition: EventDefinition = eventDefinition(type);
  return checkPayload(definition.payload, data).violations;
}

/** Validates untrusted data as a payload of `type`, returning the typed payload or throwing INVALID_PAYLOAD. */
export function validatePayload<T extends EventTypeName>(type: T, data: unknown): EventPayload<T> {
  const definition: EventDefinition = eventDefinition(type);
  const check = checkPayload(definition.payload, data);
  if (!check.value) {
    throw new ContractViolation(
      ContractViolationCode.InvalidPayload,
      `payload of ${definition.ceType} is invalid: ${describeViolations(check.violations)}`,
      { ceType: definition.ceType, violations: check.violations },
    );
  }
  return check.value as EventPayload<T>;
}
