import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEnum,
  IsInt,
  IsUUID,
  Max,
  Min,
} from 'class-validator';

/** Applies several property decorators as one, so a recurring shape is declared once. */
export function composeDecorators(...decorators: readonly PropertyDecorator[]): PropertyDecorator {
  return (target, propertyKey) => {
    for (const decorator of decorators) decorator(target, propertyKey);
  };
}

/** A list of distinct UUIDs with bounded size. */
export function IsUuidList(minSize: number, maxSize: number): PropertyDecorator {
  return composeDecorators(
    IsArray(),
    ArrayMinSize(minSize),
    ArrayMaxSize(maxSize),
    ArrayUnique(),
    IsUUID('all', { each: true }),
  );
}

/** A list of distinct codes of one enum; at most every code once. */
export function IsEnumList(vocabulary: Record<string, string>, minSize: number): PropertyDecorator {
  return composeDecorators(
    IsArray(),
    ArrayMinSize(minSize),
    ArrayMaxSize(Object.keys(vocabulary).length),
    ArrayUnique(),
    IsEnum(vocabulary, { each: true }),
  );
}

/** ASAM's six dimensions, in order, each rated on the 0-4 risk scale. */
export function IsDimensionRatings(): PropertyDecorator {
  return composeDecorators(
    IsArray(),
    ArrayMinSize(6),
    ArrayMaxSize(6),
    IsInt({ each: true }),
    Min(0, { each: true }),
    Max(4, { each: true }),
  );
}

/** A bounded whole number. */
export function IsIntBetween(min: number, max: number): PropertyDecorator {
  return composeDecorators(IsInt(), Min(min), Max(max));
}
