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
  /// A value that does not fit, and the byte in the JSON text where the part that does
  /// not fit starts.
  struct Misfit: Error {
    var error: AvroValueError
    var offset: Int
  }

  static func encode(_ json: [UInt8], schema: Schema, id: Int) -> Result<[UInt8], Misfit> {
    let file = SourceFile(path: "<stdin>", bytes: json)
    let (parsed, _) = JSONReader.read(file)
    guard let parsed else {
      return .failure(Misfit(error: AvroValueError("the value is not one JSON text", at: ""), offset: 0))
    }
    do {
      let value = try AvroJSON(schema, plainUnions: true).value(parsed)
      return .success(WireFormat.frame(schemaID: id, payload: try AvroBinary(schema).encode(value)))
    } catch {
      let node = node(at: error.path, in: parsed)
      return .failure(Misfit(error: error, offset: file.byteOffset(of: node.range.start)))
    }
  }

  /// The deepest part of `json` that an Avro value path (`a.b[2]{key}`) reaches. A union
  /// written as `{"branch": value}` is stepped into when the path goes on inside it.
  static func node(at path: String, in json: SourceValue) -> SourceValue {
    var current = json
    var rest = Substring(path)
    while !rest.isEmpty {
      var index: Int?
      var key: Substring?
      if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
        index = Int(rest[rest.index(after: rest.startIndex)..<close])
        rest = rest[rest.index(after: close)...]
      } else if rest.hasPrefix("{"), let close = rest.firstIndex(of: "}") {
        key = rest[rest.index(after: rest.startIndex)..<close]
        rest = rest[rest.index(after: close)...]
      } else {
        if rest.hasPrefix(".") { rest = rest.dropFirst() }
        let end = rest.firstIndex { $0 == "." || $0 == "[" || $0 == "{" } ?? rest.endIndex
        key = rest[..<end]
        rest = rest[end...]
      }
      switch current.content {
      case .array(let items):
        guard let index, items.indices.contains(index) else { return current }
        current = items[index]
      case .object(let members):
        guard let key else { return current }
        if let member = members.first(where: { $0.key == key }) {
          current = member.value
        } else if members.count == 1, case .object(let inner) = members[0].value.content,
          let member = inner.first(where: { $0.key == key })
        {
          current = member.value  // through a union's {"branch": …}
        } else {
          return current
        }
      default:
        return current
      }
    }
    return current
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
