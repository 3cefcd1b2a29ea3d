/// Schema resolution of values (specification §"Schema Resolution"): data decoded with
/// the writer's schema becomes a value of the reader's schema — promotions, fields
/// matched by name or reader alias, reader defaults for missing fields, writer-only
/// fields dropped, enum symbols by name with the reader's default for unknown ones,
/// unions on either side.
public struct AvroResolver: Sendable {
  public let writer: Schema
  public let reader: Schema

  public init(writer: Schema, reader: Schema) {
    self.writer = writer
    self.reader = reader
  }

  /// Decodes bytes written with the writer's schema as a value of the reader's.
  public func decode(_ bytes: [UInt8]) throws(AvroValueError) -> AvroValue {
    try resolve(try AvroBinary(writer).decode(bytes))
  }

  public func resolve(_ value: AvroValue) throws(AvroValueError) -> AvroValue {
    try resolve(value, from: writer.root, to: reader.root, path: "")
  }

  func resolve(
    _ value: AvroValue, from writerType: AvroType, to readerType: AvroType, path: String
  )
    throws(AvroValueError) -> AvroValue
  {
    if case .union(let writerBranches) = writerType, case .union(let branch, let inner) = value {
      guard writerBranches.indices.contains(branch) else {
        throw AvroValueError("union branch \(branch) unknown", at: path)
      }
      return try resolve(inner, from: writerBranches[branch], to: readerType, path: path)
    }
    if case .union(let readerBranches) = readerType {
      // The first reader branch of the same kind wins, else the first that can promote.
      let exact = readerBranches.firstIndex { sameKind($0, writerType) }
      let compatible =
        exact
        ?? readerBranches.firstIndex { branch in
          CompatibilityChecker.problems(
            reader: Schema(root: branch, named: reader.named, range: reader.range),
            writer: Schema(root: writerType, named: writer.named, range: writer.range)
          ).isEmpty
        }
      guard let index = compatible else {
        throw AvroValueError("no branch of the reader's union reads \(writerType.displayName)", at: path)
      }
      return .union(branch: index, value: try resolve(value, from: writerType, to: readerBranches[index], path: path))
    }
    switch (value, readerType) {
    case (_, .primitive(let primitive, _)):
      return try promote(value, to: primitive, path: path)
    case (.array(let items), .array(let readerItems)):
      guard case .array(let writerItems) = writerType else { break }
      var out: [AvroValue] = []
      for (index, item) in items.enumerated() {
        out.append(try resolve(item, from: writerItems, to: readerItems, path: "\(path)[\(index)]"))
      }
      return .array(out)
    case (.map(let entries), .map(let readerValues)):
      guard case .map(let writerValues) = writerType else { break }
      var out: [AvroValue.MapEntry] = []
      for entry in entries {
        out.append(
          .init(key: entry.key, value: try resolve(entry.value, from: writerValues, to: readerValues, path: path)))
      }
      return .map(out)
    case (_, .named(let readerName)):
      guard case .named(let writerName) = writerType else { break }
      return try resolveNamed(value, writerName, readerName, path: path)
    default: break
    }
    throw AvroValueError(
      "the reader's \(readerType.displayName) cannot read the writer's \(writerType.displayName)", at: path)
  }

  private func sameKind(_ readerType: AvroType, _ writerType: AvroType) -> Bool {
    switch (readerType, writerType) {
    case (.primitive(let r, _), .primitive(let w, _)): r == w
    case (.array, .array), (.map, .map): true
    case (.named(let r), .named(let w)):
      reader.definition(r).map { readerDefinition in
        writer.definition(w).map { CompatibilityChecker.namesMatch(readerDefinition, $0) } ?? false
      } ?? false
    default: false
    }
  }

  private func promote(_ value: AvroValue, to primitive: Primitive, path: String) throws(AvroValueError) -> AvroValue {
    switch (value, primitive) {
    case (.null, .null), (.boolean, .boolean), (.int, .int), (.long, .long), (.float, .float), (.double, .double),
      (.bytes, .bytes), (.string, .string):
      return value
    case (.int(let number), .long): return .long(Int64(number))
    case (.int(let number), .float): return .float(Float(number))
    case (.int(let number), .double): return .double(Double(number))
    case (.long(let number), .float): return .float(Float(number))
    case (.long(let number), .double): return .double(Double(number))
    case (.float(let number), .double): return .double(Double(number))
    case (.string(let text), .bytes): return .bytes(Array(text.utf8))
    case (.bytes(let bytes), .string):
      guard let text = String(validating: bytes, as: UTF8.self) else {
        throw AvroValueError("bytes are not valid UTF-8 and cannot be read as a string", at: path)
      }
      return .string(text)
    default:
      throw AvroValueError("\(value.kindName) cannot be read as '\(primitive.rawValue)'", at: path)
    }
  }

  private func resolveNamed(
    _ value: AvroValue, _ writerName: String, _ readerName: String, path: String
  )
    throws(AvroValueError) -> AvroValue
  {
    switch (writer.definition(writerName), reader.definition(readerName), value) {
    case (.record(let w)?, .record(let r)?, .record(let fields)):
      var out: [AvroValue] = []
      for field in r.fields {
        let fieldPath = AvroBinary.join(path, field.name)
        let index =
          w.fields.firstIndex { $0.name == field.name } ?? w.fields.firstIndex { field.aliases.contains($0.name) }
        if let index, fields.indices.contains(index) {
          out.append(try resolve(fields[index], from: w.fields[index].type, to: field.type, path: fieldPath))
        } else if let defaultValue = field.defaultValue {
          out.append(try AvroJSON.defaultValue(defaultValue, for: field.type, in: reader, path: fieldPath))
        } else {
          throw AvroValueError("the writer has no field '\(field.name)' and the reader gives no default", at: fieldPath)
        }
      }
      return .record(out)
    case (.enumeration, .enumeration(let r)?, .enumeration(_, let symbol)):
      if let index = r.symbols.firstIndex(of: symbol) { return .enumeration(index: index, symbol: symbol) }
      guard let fallback = r.defaultSymbol, let index = r.symbols.firstIndex(of: fallback) else {
        throw AvroValueError("symbol '\(symbol)' is not in the reader's enum, which has no default", at: path)
      }
      return .enumeration(index: index, symbol: fallback)
    case (.fixed(let w)?, .fixed(let r)?, .fixed):
      guard w.size == r.size else { throw AvroValueError("fixed sizes differ", at: path) }
      return value
    default:
      throw AvroValueError("the reader's '\(readerName)' cannot read the writer's '\(writerName)'", at: path)
    }
  }
}
