import MeshDiagnostics

/// Turns located JSON-shaped values into a `Schema` following the Avro 1.11
/// specification, collecting a diagnostic for each problem.
struct SchemaParser {
  var diagnostics = Diagnostics()
  private var named: [String: NamedType] = [:]
  /// Names declared so far, including records still being parsed (for recursion).
  private var declared: Set<String> = []

  mutating func parse(_ value: SourceValue) -> Schema? {
    let errorsBefore = diagnostics.errorCount
    guard let root = type(value, namespace: nil, depth: 0), diagnostics.errorCount == errorsBefore else { return nil }
    return Schema(root: root, named: named, range: value.range)
  }

  // MARK: types

  mutating func type(_ value: SourceValue, namespace: String?, depth: Int) -> AvroType? {
    guard depth < JSONReader.maxDepth else {
      diagnostics.error(.schemaTooDeep, "schema nested more than \(JSONReader.maxDepth) levels deep", at: value.range)
      return nil
    }
    switch value.content {
    case .string(let name): return reference(name, namespace: namespace, at: value.range)
    case .array(let branches): return union(branches, namespace: namespace, depth: depth, at: value.range)
    case .object: return complex(value, namespace: namespace, depth: depth)
    default:
      diagnostics.error(
        .schemaInvalidAttribute, "expected a type (a name, an object or a union array), found \(value.kindDescription)",
        at: value.range)
      return nil
    }
  }

  mutating func reference(_ name: String, namespace: String?, at range: SourceRange) -> AvroType? {
    if let primitive = Primitive(rawValue: name) { return .plain(primitive) }
    let candidates = name.contains(".") ? [name] : [namespace.map { "\($0).\(name)" }, name].compactMap { $0 }
    if let found = candidates.first(where: { declared.contains($0) }) { return .named(found) }
    let known = Primitive.allCases.map(\.rawValue) + declared.sorted()
    diagnostics.error(
      .schemaUnknownType, "unknown type '\(name)'", at: range,
      help: Suggestion.didYouMean(
        name, among: known + declared.map { $0.split(separator: ".").last.map(String.init) ?? $0 })
        ?? "a named type must be defined before it is used")
    return nil
  }

  private mutating func union(
    _ branches: [SourceValue], namespace: String?, depth: Int, at range: SourceRange
  )
    -> AvroType?
  {
    var types: [AvroType] = []
    var seen: [String: SourceRange] = [:]
    var failed = false
    for branch in branches {
      guard let branchType = type(branch, namespace: namespace, depth: depth + 1) else {
        failed = true
        continue
      }
      if case .union = branchType {
        diagnostics.error(.schemaNestedUnion, "a union may not directly contain another union", at: branch.range)
        failed = true
        continue
      }
      let key = Self.unionKey(branchType)
      if let first = seen[key] {
        diagnostics.error(
          .schemaDuplicateUnionBranch, "union has two branches of type '\(key)'", at: branch.range,
          help: "a union holds at most one branch of each type, except distinct named types",
          notes: [Diagnostic.Note("first branch here", at: first)])
        failed = true
        continue
      }
      seen[key] = branch.range
      types.append(branchType)
    }
    return failed ? nil : .union(types)
  }

  /// What makes two union branches the same: their primitive, their full name, or
  /// being an array or a map.
  static func unionKey(_ type: AvroType) -> String {
    switch type {
    case .primitive(let primitive, _): primitive.rawValue
    case .named(let name): name
    case .array: "array"
    case .map: "map"
    case .union: "union"
    }
  }

  private mutating func complex(_ value: SourceValue, namespace: String?, depth: Int) -> AvroType? {
    guard let typeValue = value["type"] else {
      diagnostics.error(.schemaMissingAttribute, "missing 'type' in schema object", at: value.range)
      return nil
    }
    guard let typeName = typeValue.string else {
      // {"type": {"type": "int"}} and {"type": ["null", "int"]} nest a type.
      return type(typeValue, namespace: namespace, depth: depth + 1)
    }
    switch typeName {
    case "record", "error": return record(value, namespace: namespace, depth: depth)
    case "enum": return enumeration(value, namespace: namespace)
    case "fixed": return fixed(value, namespace: namespace)
    case "array":
      guard let items = required(value, "items", in: "array") else { return nil }
      return type(items, namespace: namespace, depth: depth + 1).map { .array($0) }
    case "map":
      guard let values = required(value, "values", in: "map") else { return nil }
      return type(values, namespace: namespace, depth: depth + 1).map { .map($0) }
    default:
      guard let primitive = Primitive(rawValue: typeName) else {
        // {"type": "SomeRecord"} refers to a named type.
        return reference(typeName, namespace: namespace, at: typeValue.range)
      }
      return .primitive(primitive, logical: logicalType(value, on: primitive))
    }
  }

  mutating func required(_ value: SourceValue, _ key: String, in context: String) -> SourceValue? {
    if let found = value[key] { return found }
    diagnostics.error(.schemaMissingAttribute, "missing '\(key)' in \(context) schema", at: value.range)
    return nil
  }

  // MARK: logical types

  /// The logical type of a primitive, or nil (with a warning) when it does not apply: the
  /// specification says an invalid logical type falls back to the underlying type.
  private mutating func logicalType(_ value: SourceValue, on primitive: Primitive) -> LogicalType? {
    guard let nameValue = value["logicalType"] else { return nil }
    guard let name = nameValue.string else {
      invalidLogical(nameValue, "logicalType must be a string")
      return nil
    }
    if name == "decimal" {
      guard primitive == .bytes else {
        invalidLogical(nameValue, "decimal applies to bytes or fixed, not \(primitive.rawValue)")
        return nil
      }
      return decimal(value, maxPrecision: nil)
    }
    guard let (logical, underlying) = LogicalType.byName[name] else {
      invalidLogical(nameValue, "unknown logical type '\(name)'")
      return nil
    }
    guard underlying == primitive else {
      invalidLogical(
        nameValue, "logical type '\(name)' applies to \(underlying?.rawValue ?? "fixed"), not \(primitive.rawValue)")
      return nil
    }
    return logical
  }

  mutating func decimal(_ value: SourceValue, maxPrecision: Int?) -> LogicalType? {
    guard let precision = value["precision"]?.integer, precision > 0 else {
      invalidLogical(value["precision"] ?? value, "decimal needs a positive integer 'precision'")
      return nil
    }
    let scale = value["scale"]?.integer ?? 0
    guard value["scale"] == nil || value["scale"]?.integer != nil, scale >= 0, scale <= precision else {
      invalidLogical(
        value["scale"] ?? value, "decimal 'scale' must be an integer from 0 to the precision (\(precision))")
      return nil
    }
    if let maxPrecision, precision > maxPrecision {
      invalidLogical(
        value["precision"] ?? value,
        "precision \(precision) does not fit the fixed size (at most \(maxPrecision) digits)")
      return nil
    }
    return .decimal(precision: Int(precision), scale: Int(scale))
  }

  mutating func invalidLogical(_ value: SourceValue, _ message: String) {
    diagnostics.warning(
      .schemaInvalidLogicalType, "\(message); the logical type is ignored", at: value.range,
      help: "as the Avro specification says, the field keeps its underlying type")
  }

  // MARK: names

  /// The full name and namespace of a named type being defined.
  mutating func define(
    _ value: SourceValue, kind: String, namespace: String?
  ) -> (fullName: String, namespace: String?)? {
    guard let nameValue = required(value, "name", in: kind) else { return nil }
    guard let name = nameValue.string, Self.isValidFullName(name) else {
      diagnostics.error(
        .schemaInvalidName, "invalid \(kind) name \(nameValue.string.map { "'\($0)'" } ?? nameValue.kindDescription)",
        at: nameValue.range, help: "names start with a letter or '_' and contain letters, digits and '_'")
      return nil
    }
    var ownNamespace = namespace
    if let space = value["namespace"], case .null = space.content {
      ownNamespace = nil
    } else if let space = value["namespace"] {
      guard let text = space.string, text.isEmpty || Self.isValidFullName(text) else {
        diagnostics.error(.schemaInvalidName, "invalid namespace", at: space.range)
        return nil
      }
      ownNamespace = text.isEmpty ? nil : text
    }
    let fullName: String
    if let dot = name.lastIndex(of: ".") {
      fullName = name
      ownNamespace = String(name[..<dot])
    } else {
      fullName = ownNamespace.map { "\($0).\(name)" } ?? name
    }
    if Primitive(rawValue: fullName) != nil {
      diagnostics.error(
        .schemaInvalidName, "'\(fullName)' is a primitive type and cannot be redefined", at: nameValue.range)
      return nil
    }
    if declared.contains(fullName) {
      diagnostics.error(
        .schemaDuplicateName, "type '\(fullName)' is defined twice", at: nameValue.range,
        notes: named[fullName].map { [Diagnostic.Note("first defined here", at: $0.range)] } ?? [])
      return nil
    }
    declared.insert(fullName)
    return (fullName, ownNamespace)
  }

  mutating func aliases(_ value: SourceValue, namespace: String?) -> [String] {
    guard let list = value["aliases"] else { return [] }
    guard let items = list.items else {
      diagnostics.error(.schemaInvalidAttribute, "'aliases' must be an array of names", at: list.range)
      return []
    }
    return items.compactMap { item in
      guard let alias = item.string, Self.isValidFullName(alias) else {
        diagnostics.error(.schemaInvalidName, "invalid alias", at: item.range)
        return nil
      }
      return alias.contains(".") ? alias : namespace.map { "\($0).\(alias)" } ?? alias
    }
  }

  static func isValidName(_ name: some StringProtocol) -> Bool {
    guard let first = name.utf8.first, first == UInt8(ascii: "_") || isLetter(first) else { return false }
    return name.utf8.allSatisfy { $0 == UInt8(ascii: "_") || isLetter($0) || ($0 >= 48 && $0 <= 57) }
  }

  static func isValidFullName(_ name: String) -> Bool {
    name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isValidName($0) }
  }

  private static func isLetter(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
  }

  mutating func register(_ type: NamedType) { named[type.fullName] = type }
  func isDefined(_ fullName: String) -> Bool { named[fullName] != nil }
  func lookup(_ fullName: String) -> NamedType? { named[fullName] }
}
