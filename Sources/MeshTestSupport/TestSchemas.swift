/// Schemas that several targets' tests share.
public enum TestSchemas {
  /// A record with a field of every Avro type and logical type the columns hold, nulls,
  /// nesting and a union that stays opaque included.
  public static let everyType = """
    {"type": "record", "name": "Everything", "namespace": "test", "fields": [
      {"name": "s", "type": "string"},
      {"name": "i", "type": "int"},
      {"name": "l", "type": "long"},
      {"name": "d", "type": "double"},
      {"name": "f", "type": "float"},
      {"name": "b", "type": "boolean"},
      {"name": "raw", "type": "bytes"},
      {"name": "maybe_s", "type": ["null", "string"]},
      {"name": "maybe_l", "type": ["long", "null"]},
      {"name": "color", "type": {"type": "enum", "name": "Color", "symbols": ["RED", "GREEN"]}},
      {"name": "hash", "type": {"type": "fixed", "name": "Hash", "size": 4}},
      {"name": "price", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}},
      {"name": "day", "type": {"type": "int", "logicalType": "date"}},
      {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
      {"name": "clock", "type": {"type": "int", "logicalType": "time-millis"}},
      {"name": "id", "type": {"type": "string", "logicalType": "uuid"}},
      {"name": "counts", "type": {"type": "array", "items": ["null", "int"]}},
      {"name": "rates", "type": {"type": "map", "values": "double"}},
      {"name": "address", "type": ["null", {"type": "record", "name": "Address", "fields": [
        {"name": "city", "type": "string"},
        {"name": "zip", "type": ["null", "string"]},
        {"name": "lines", "type": {"type": "array", "items": "string"}}
      ]}]},
      {"name": "either", "type": ["int", "string"]},
      {"name": "nothing", "type": "null"}
    ]}
    """
}
