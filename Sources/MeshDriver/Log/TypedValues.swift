import MeshDiagnostics
import MeshLog
import MeshSchema

/// Typed records: `produce --schema SUBJECT` encodes each JSON value with the subject's
/// latest schema into the wire format; `consume` decodes framed values back to JSON,
/// looking each schema id up once.
final class TypedValues {
  private let registry: SchemaRegistry
  private var schemas: [Int: Schema?] = [:]
  /// Why ids seen in framed values could not be decoded (a damaged registry), once each:
  /// such values print as bytes, and the command says why instead of passing silently.
  private(set) var problems: [RegistryError] = []

  init(registry: SchemaRegistry) { self.registry = registry }

  /// The framed bytes of a JSON value (values given as people write them: unions
  /// unwrapped), or the reason it does not fit.
  static func encode(_ json: [UInt8], schema: Schema, id: Int) -> Result<[UInt8], AvroValueError> {
    let (parsed, _) = JSONReader.read(SourceFile(path: "<stdin>", bytes: json))
    guard let parsed else { return .failure(AvroValueError("the value is not one JSON text", at: "")) }
    do {
      let value = try AvroJSON(schema, plainUnions: true).value(parsed)
      return .success(WireFormat.frame(schemaID: id, payload: try AvroBinary(schema).encode(value)))
    } catch {
      return .failure(error)
    }
  }

  /// The JSON text of a framed value whose schema is registered, else nil.
  func json(_ bytes: [UInt8]) -> [UInt8]? {
    guard let (id, payload) = WireFormat.unframe(bytes) else { return nil }
    if schemas[id] == nil {
      do throws(RegistryError) {
        schemas[id] = .some(try registry.schema(id: id).schema)
      } catch {
        schemas[id] = .some(nil)
        if case .unknownID = error {} else { problems.append(error) }
      }
    }
    guard let schema = schemas[id] ?? nil, let value = try? AvroBinary(schema).decode(payload) else { return nil }
    return Array(AvroJSON(schema, plainUnions: true).text(value).utf8)
  }
}
