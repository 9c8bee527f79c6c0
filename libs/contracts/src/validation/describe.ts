/**
 * A human description of a payload property, published in the generated AsyncAPI document and JSON Schemas.
 * Kept apart from the validation rules so a description can never change what is accepted.
 */
const descriptions = new WeakMap<object, Map<string, string>>();

export function Describe(text: string): PropertyDecorator {
  return (target, propertyKey) => {
    const forClass = descriptions.get(target.constructor) ?? new Map<string, string>();
    forClass.set(String(propertyKey), text);
    descriptions.set(target.constructor, forClass);
  };
}

export function propertyDescription(cls: object, property: string): string | undefined {
  return descriptions.get(cls)?.get(property);
}
