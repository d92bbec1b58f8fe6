// Schema checks of slot arenas and their secondary columns: the arena schema rules,
// minus `idx` fields (a slot arena refers to records by handle, never by bare index).

import { SchemaError } from "./errors.js";
import { IDX, checkSchema, type FieldSpec } from "./schema.js";

/** Validates a slot arena (or secondary columns) schema and returns its fields in key order. */
export function slotFields(schema: unknown): FieldSpec[] {
  const fields = checkSchema(schema);
  const idx = fields.find((f) => f.code === IDX);
  if (idx !== undefined) {
    throw new SchemaError(
      `field "${idx.name}" is idx: slot arenas refer to records by handle, not by index (a bare index would follow a reused slot); ` +
        `store a handle in a u32 field (nano, tiny) or an f64 field (small)`,
    );
  }
  return fields;
}
