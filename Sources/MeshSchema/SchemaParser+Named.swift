import MeshDiagnostics

extension SchemaParser {
  mutating func record(_ value: SourceValue, namespace: String?, depth: Int) -> AvroType? {
    guard let (fullName, ownNamespace) = define(value, kind: "record", namespace: namespace) else { return nil }
    let recordAliases = aliases(value, namespace: ownNamespace)
    guard let fieldsValue = required(value, "fields", in: "record") else { return nil }
    guard let items = fieldsValue.items else {
      diagnostics.error(.schemaInvalidAttribute, "'fields' must be an array", at: fieldsValue.range)
      return nil
    }
    var fields: [Field] = []
    var seen: [String: SourceRange] = [:]
    var failed = false
    for item in items {
      guard let field = field(item, namespace: ownNamespace, depth: depth) else {
        failed = true
        continue
      }
      if let first = seen[field.name] {
        diagnostics.error(
          .schemaDuplicateField, "record '\(fullName)' has two fields named '\(field.name)'", at: field.range,
          notes: [Diagnostic.Note("first field here", at: first)])
        failed = true
        continue
      }
      seen[field.name] = field.range
      fields.append(field)
    }
    let doc = value["doc"]?.string
    register(
      .record(RecordType(fullName: fullName, aliases: recordAliases, doc: doc, fields: fields, range: value.range)))
    return failed ? nil : .named(fullName)
  }

  private mutating func field(_ value: SourceValue, namespace: String?, depth: Int) -> Field? {
    guard value.members != nil else {
      diagnostics.error(
        .schemaInvalidAttribute, "a field must be an object, found \(value.kindDescription)", at: value.range)
      return nil
    }
    guard let nameValue = required(value, "name", in: "field") else { return nil }
    guard let name = nameValue.string, Self.isValidName(name) else {
      diagnostics.error(
        .schemaInvalidName, "invalid field name \(nameValue.string.map { "'\($0)'" } ?? nameValue.kindDescription)",
        at: nameValue.range, help: "field names start with a letter or '_' and contain letters, digits and '_'")
      return nil
    }
    guard let typeValue = required(value, "type", in: "field") else { return nil }
    guard let fieldType = type(typeValue, namespace: namespace, depth: depth + 1) else { return nil }
    var order = Field.Order.ascending
    if let orderValue = value["order"] {
      guard let text = orderValue.string, let parsed = Field.Order(rawValue: text) else {
        diagnostics.error(
          .schemaInvalidAttribute, "invalid field order", at: orderValue.range,
          help: "expected ascending, descending or ignore")
        return nil
      }
      order = parsed
    }
    let defaultValue = value["default"]
    if let defaultValue, !checkDefault(defaultValue, for: fieldType, depth: 0) {
      diagnostics.error(
        .schemaInvalidDefault, "default of field '\(name)' does not match its type \(describe(fieldType))",
        at: defaultValue.range,
        help: isUnion(fieldType) ? "a union's default must match its first branch" : nil)
      return nil
    }
    var pii = false
    if let piiValue = value["pii"] {
      guard case .bool(let flag) = piiValue.content else {
        diagnostics.error(.schemaInvalidAttribute, "'pii' must be true or false", at: piiValue.range)
        return nil
      }
      pii = flag
    }
    return Field(
      name: name, type: fieldType, defaultValue: defaultValue, aliases: aliasNames(value), doc: value["doc"]?.string,
      order: order, pii: pii, classification: value["classification"]?.string, range: value.range)
  }

  /// Field aliases are plain names, not namespaced.
  private func aliasNames(_ value: SourceValue) -> [String] {
    value["aliases"]?.items?.compactMap(\.string) ?? []
  }

  mutating func enumeration(_ value: SourceValue, namespace: String?) -> AvroType? {
    guard let (fullName, ownNamespace) = define(value, kind: "enum", namespace: namespace) else { return nil }
    guard let symbolsValue = required(value, "symbols", in: "enum") else { return nil }
    guard let items = symbolsValue.items else {
      diagnostics.error(.schemaInvalidAttribute, "'symbols' must be an array of names", at: symbolsValue.range)
      return nil
    }
    var symbols: [String] = []
    for item in items {
      guard let symbol = item.string, Self.isValidName(symbol) else {
        diagnostics.error(.schemaInvalidSymbol, "invalid enum symbol", at: item.range)
        return nil
      }
      guard !symbols.contains(symbol) else {
        diagnostics.error(.schemaInvalidSymbol, "enum '\(fullName)' lists symbol '\(symbol)' twice", at: item.range)
        return nil
      }
      symbols.append(symbol)
    }
    var defaultSymbol: String?
    if let defaultValue = value["default"] {
      guard let symbol = defaultValue.string, symbols.contains(symbol) else {
        diagnostics.error(
          .schemaInvalidSymbol, "the default of enum '\(fullName)' is not one of its symbols", at: defaultValue.range)
        return nil
      }
      defaultSymbol = symbol
    }
    register(
      .enumeration(
        EnumType(
          fullName: fullName, aliases: aliases(value, namespace: ownNamespace), symbols: symbols,
          defaultSymbol: defaultSymbol, doc: value["doc"]?.string, range: value.range)))
    return .named(fullName)
  }

  mutating func fixed(_ value: SourceValue, namespace: String?) -> AvroType? {
    guard let (fullName, ownNamespace) = define(value, kind: "fixed", namespace: namespace) else { return nil }
    guard let sizeValue = required(value, "size", in: "fixed") else { return nil }
    guard let size = sizeValue.integer, size >= 0, size <= Int64(Int32.max) else {
      diagnostics.error(.schemaInvalidAttribute, "'size' of fixed must be a non-negative integer", at: sizeValue.range)
      return nil
    }
    var logical: LogicalType?
    if let nameValue = value["logicalType"], let name = nameValue.string {
      switch name {
      case "decimal":
        // The most decimal digits a two's-complement number of `size` bytes can hold.
        let digits = size == 0 ? 0 : Int((Double(8 * size - 1) * 0.30102999566398120).rounded(.down))
        logical = decimal(value, maxPrecision: digits)
      case "duration" where size == 12: logical = .duration
      case "uuid" where size == 16: logical = .uuid
      default: invalidLogical(nameValue, "logical type '\(name)' does not apply to fixed(\(size))")
      }
    }
    register(
      .fixed(
        FixedType(
          fullName: fullName, aliases: aliases(value, namespace: ownNamespace), size: Int(size), logical: logical,
          range: value.range)))
    return .named(fullName)
  }

  func isUnion(_ type: AvroType) -> Bool {
    if case .union = type { return true }
    return false
  }

  func describe(_ type: AvroType) -> String {
    switch type {
    case .primitive(let primitive, _): "'\(primitive.rawValue)'"
    case .named(let name): "'\(name)'"
    case .array: "'array'"
    case .map: "'map'"
    case .union(let branches): "union starting with \(branches.first.map(describe) ?? "nothing")"
    }
  }

  /// Whether a JSON default is valid for a type, per the specification's table.
  func checkDefault(_ value: SourceValue, for type: AvroType, depth: Int) -> Bool {
    guard depth < JSONReader.maxDepth else { return false }
    switch type {
    case .primitive(let primitive, _):
      switch (primitive, value.content) {
      case (.null, .null), (.boolean, .bool), (.string, .string), (.bytes, .string): return true
      case (.int, .number): return value.integer.map { $0 >= Int64(Int32.min) && $0 <= Int64(Int32.max) } ?? false
      case (.long, .number): return value.integer != nil
      case (.float, .number), (.double, .number): return value.number != nil
      case (.float, .string(let text)), (.double, .string(let text)):
        return ["NaN", "Infinity", "-Infinity"].contains(text)
      default: return false
      }
    case .array(let items):
      return value.items?.allSatisfy { checkDefault($0, for: items, depth: depth + 1) } ?? false
    case .map(let values):
      return value.members?.allSatisfy { checkDefault($0.value, for: values, depth: depth + 1) } ?? false
    case .union(let branches):
      return branches.first.map { checkDefault(value, for: $0, depth: depth + 1) } ?? false
    case .named(let name):
      switch lookup(name) {
      case .enumeration(let enumeration)?: return value.string.map(enumeration.symbols.contains) ?? false
      case .fixed(let fixed)?: return value.string.map { $0.unicodeScalars.count == fixed.size } ?? false
      case .record(let record)?:
        guard value.members != nil else { return false }
        return record.fields.allSatisfy { field in
          guard let member = value[field.name] else { return field.defaultValue != nil }
          return checkDefault(member, for: field.type, depth: depth + 1)
        }
      // A record still being parsed (a recursive default): accept an object.
      case nil: return value.members != nil
      }
    }
  }
}
