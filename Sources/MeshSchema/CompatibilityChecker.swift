import MeshDiagnostics

/// Decides whether a reader schema can read everything a writer schema can write,
/// following Avro's schema-resolution rules as Apache Avro's `SchemaCompatibility` does:
/// promotions (int→long→float→double, string↔bytes), record fields matched by name or
/// reader alias (a reader-only field needs a default), enum symbols (a reader default
/// absorbs unknown ones), fixed sizes, named types matched by name or reader alias, and
/// unions on either side. Recursive types terminate by assuming a pair being checked
/// is compatible.
public struct CompatibilityChecker {
  let reader: Schema
  let writer: Schema
  private var inProgress: Set<String> = []
  /// Pairs of named types already decided (`reader|writer`): a schema may refer to a type
  /// many times, and checking every reference again takes time exponential in the nesting
  /// (a record with two fields of the next record, and so on). A decided pair is checked
  /// again only to record its problems at another path, and only until `maxProblems`.
  private var decided: [String: Bool] = [:]
  private(set) var problems: [Incompatibility] = []

  /// Problems recorded at most; beyond them the same breaks would repeat at more paths.
  public static let maxProblems = 1_000

  public static func problems(reader: Schema, writer: Schema) -> [Incompatibility] {
    var checker = CompatibilityChecker(reader: reader, writer: writer)
    _ = checker.canRead(reader.root, writer.root, path: checker.rootPath, record: true)
    return checker.problems
  }

  /// The incompatibilities of `new` with `earlier` versions (oldest first) under `mode`.
  public static func check(new: Schema, earlier: [Schema], mode: CompatibilityMode) -> [Incompatibility] {
    guard mode != .none, let newest = earlier.indices.last else { return [] }
    let indices = mode.isTransitive ? Array(earlier.indices) : [newest]
    var found: [Incompatibility] = []
    for index in indices.reversed() {
      let old = earlier[index]
      if mode.checksBackward {
        found += problems(reader: new, writer: old).map {
          var problem = $0
          problem.newSchemaRange = $0.readerRange
          problem.earlierIndex = index
          return problem
        }
      }
      if mode.checksForward {
        found += problems(reader: old, writer: new).map {
          var problem = $0
          problem.newSchemaRange = $0.writerRange
          problem.earlierIndex = index
          return problem
        }
      }
    }
    // The same break against several versions is one finding.
    var seen = Set<String>()
    return found.filter { seen.insert("\($0.code.id) \($0.path) \($0.message)").inserted }
  }

  private init(reader: Schema, writer: Schema) {
    self.reader = reader
    self.writer = writer
  }

  private var rootPath: String {
    if case .named(let name) = reader.root { return String(name.split(separator: ".").last ?? "") }
    return ""
  }

  /// Returns false, recording the problem when `record` is set (union branch probing
  /// tries branches without recording).
  private mutating func reject(
    _ record: Bool, _ code: DiagnosticCodeName, _ path: String, _ message: String, help: String? = nil,
    readerRange: SourceRange? = nil, writerRange: SourceRange? = nil
  ) -> Bool {
    if record {
      _ = fail(code, path, message, help: help, readerRange: readerRange, writerRange: writerRange)
    }
    return false
  }

  private mutating func fail(
    _ code: DiagnosticCodeName, _ path: String, _ message: String, help: String? = nil,
    readerRange: SourceRange? = nil, writerRange: SourceRange? = nil
  ) -> Bool {
    guard problems.count < Self.maxProblems else { return false }
    problems.append(
      Incompatibility(
        code: code.code, path: path.isEmpty ? "(root)" : path, message: message, help: help, readerRange: readerRange,
        writerRange: writerRange, newSchemaRange: nil))
    return false
  }

  /// `record` marks whether to record problems; union branch probing does not.
  mutating func canRead(_ readerType: AvroType, _ writerType: AvroType, path: String, record: Bool) -> Bool {
    if case .union(let writerBranches) = writerType {
      if case .union = readerType {
        var ok = true
        for branch in writerBranches where !canReadFromUnion(readerType, branch, path: path, record: record) {
          ok = false
        }
        return ok
      }
      var ok = true
      for branch in writerBranches where !canRead(readerType, branch, path: path, record: record) { ok = false }
      return ok
    }
    if case .union = readerType { return canReadFromUnion(readerType, writerType, path: path, record: record) }
    switch (readerType, writerType) {
    case (.primitive(let r, let rLogical), .primitive(let w, let wLogical)):
      if r == w {
        if case .decimal(let rp, let rs)? = rLogical, case .decimal(let wp, let ws)? = wLogical, rp != wp || rs != ws {
          return reject(
            record,
            .decimal, path, "decimal(\(rp),\(rs)) cannot read decimal(\(wp),\(ws))",
            help: "keep the decimal's precision and scale; add a new field for the new ones")
        }
        return true
      }
      if Self.promotes(from: w, to: r) { return true }
      return reject(
        record,
        .type, path, "'\(r.rawValue)' cannot read '\(w.rawValue)'",
        help: "Avro promotes only int→long→float→double and string↔bytes; add a new field instead")
    case (.array(let r), .array(let w)):
      return canRead(r, w, path: path + "[]", record: record)
    case (.map(let r), .map(let w)):
      return canRead(r, w, path: path + "{}", record: record)
    case (.named(let r), .named(let w)):
      return canReadNamed(r, w, path: path, record: record)
    default:
      return reject(
        record,
        .type, path, "\(Self.describe(readerType, in: reader)) cannot read \(Self.describe(writerType, in: writer))",
        help: "changing a field's type breaks its readers; add a new field instead")
    }
  }

  private mutating func canReadFromUnion(
    _ readerType: AvroType, _ writerType: AvroType, path: String, record: Bool
  )
    -> Bool
  {
    guard case .union(let readerBranches) = readerType else { return false }
    for branch in readerBranches where canRead(branch, writerType, path: path, record: false) { return true }
    return reject(
      record,
      .union, path, "the union has no branch that reads \(Self.describe(writerType, in: writer))",
      help: "add a branch of that type to the union")
  }

  static func promotes(from writer: Primitive, to reader: Primitive) -> Bool {
    switch (writer, reader) {
    case (.int, .long), (.int, .float), (.int, .double), (.long, .float), (.long, .double), (.float, .double),
      (.string, .bytes), (.bytes, .string):
      true
    default: false
    }
  }

  private mutating func canReadNamed(_ readerName: String, _ writerName: String, path: String, record: Bool) -> Bool {
    let key = "\(readerName)|\(writerName)"
    if inProgress.contains(key) { return true }
    if let known = decided[key], known || !record || problems.count >= Self.maxProblems { return known }
    let readable = checkNamed(readerName, writerName, key: key, path: path, record: record)
    decided[key] = readable
    return readable
  }

  private mutating func checkNamed(
    _ readerName: String, _ writerName: String, key: String, path: String, record: Bool
  ) -> Bool {
    guard let readerDefinition = reader.definition(readerName), let writerDefinition = writer.definition(writerName)
    else { return false }
    guard Self.namesMatch(readerDefinition, writerDefinition) || readerDefinition.kindName != writerDefinition.kindName
    else {
      return reject(
        record,
        .name, path, "'\(readerName)' cannot read '\(writerName)': the names differ",
        help: "keep the name, or list '\(writerName)' in the new type's aliases",
        readerRange: readerDefinition.range, writerRange: writerDefinition.range)
    }
    inProgress.insert(key)
    defer { inProgress.remove(key) }
    switch (readerDefinition, writerDefinition) {
    case (.record(let r), .record(let w)):
      return canReadRecord(r, w, path: path, record: record)
    case (.enumeration(let r), .enumeration(let w)):
      let missing = w.symbols.filter { !r.symbols.contains($0) }
      guard missing.isEmpty || r.defaultSymbol != nil else {
        return reject(
          record,
          .enumSymbol, path,
          "enum '\(r.fullName)' lacks symbol\(missing.count == 1 ? "" : "s") \(missing.map { "'\($0)'" }.joined(separator: ", ")) the writer may write",
          help: "keep the symbols, or give the reader's enum a default symbol", readerRange: r.range,
          writerRange: w.range)
      }
      return true
    case (.fixed(let r), .fixed(let w)):
      guard r.size == w.size else {
        return reject(
          record,
          .fixedSize, path, "fixed '\(r.fullName)' has size \(r.size), the writer's has \(w.size)",
          help: "a fixed type's size cannot change", readerRange: r.range, writerRange: w.range)
      }
      return true
    default:
      return reject(
        record,
        .type, path, "a \(readerDefinition.kindName) cannot read a \(writerDefinition.kindName)",
        readerRange: readerDefinition.range, writerRange: writerDefinition.range)
    }
  }

  private mutating func canReadRecord(_ r: RecordType, _ w: RecordType, path: String, record: Bool) -> Bool {
    var ok = true
    for field in r.fields {
      let fieldPath = path.isEmpty ? field.name : "\(path).\(field.name)"
      let match = w.fields.first { $0.name == field.name } ?? w.fields.first { field.aliases.contains($0.name) }
      guard let writerField = match else {
        if field.defaultValue == nil {
          ok = false
          if record {
            _ = fail(
              .missingDefault, fieldPath,
              "field '\(field.name)' has no default, and data written with the other schema does not have it",
              help: "give the field '\(field.name)' a default", readerRange: field.range, writerRange: w.range)
          }
        }
        continue
      }
      if !canRead(field.type, writerField.type, path: fieldPath, record: record) {
        ok = false
        if record, var last = problems.popLast() {
          last.readerRange = last.readerRange ?? field.range
          last.writerRange = last.writerRange ?? writerField.range
          problems.append(last)
        }
      }
    }
    return ok
  }

  static func namesMatch(_ reader: NamedType, _ writer: NamedType) -> Bool {
    let unqualified = { (name: String) in name.split(separator: ".").last.map(String.init) ?? name }
    return unqualified(reader.fullName) == unqualified(writer.fullName) || reader.aliases.contains(writer.fullName)
  }

  static func describe(_ type: AvroType, in schema: Schema) -> String {
    switch type {
    case .primitive(let primitive, _): "'\(primitive.rawValue)'"
    case .named(let name): "\(schema.definition(name)?.kindName ?? "type") '\(name)'"
    case .array: "an array"
    case .map: "a map"
    case .union: "a union"
    }
  }
}

/// The rules, each with its stable diagnostic code.
enum DiagnosticCodeName {
  case type, missingDefault, enumSymbol, fixedSize, name, union, decimal

  var code: DiagnosticCode {
    switch self {
    case .type: .incompatibleType
    case .missingDefault: .fieldWithoutDefault
    case .enumSymbol: .missingEnumSymbol
    case .fixedSize: .fixedSizeMismatch
    case .name: .nameMismatch
    case .union: .missingUnionBranch
    case .decimal: .decimalMismatch
    }
  }
}
