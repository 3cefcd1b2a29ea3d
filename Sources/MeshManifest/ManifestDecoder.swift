import Foundation
import MeshBytes
public import MeshDiagnostics
import MeshYAML

/// Decodes manifest documents into the model, collecting every problem rather than
/// stopping at the first. A value that fails to decode is left out (or nil) and the
/// decoder goes on, so one run reports all mistakes of a file.
public struct ManifestDecoder {
  public var diagnostics = Diagnostics()
  /// The file decoded, to locate each character of an expression; without it
  /// expressions are located by their scalar only.
  public var source: SourceFile?

  public init(source: SourceFile? = nil) { self.source = source }

  /// The keys of a mapping node, checked against the allowed ones (unknown keys are
  /// reported with a did-you-mean). Nil, with a diagnostic, when `node` is no mapping.
  mutating func fields(of node: YAMLNode, _ context: String, allowed: [String]) -> Fields? {
    guard let pairs = node.mapping else {
      expectedKind("a mapping", for: context, found: node)
      return nil
    }
    var values: [String: YAMLNode] = [:]
    var keys: [String: YAMLNode] = [:]
    for pair in pairs {
      guard let key = pair.key.scalar?.text, pair.key.scalar != nil else {
        diagnostics.error(.wrongNodeKind, "keys of \(context) must be strings", at: pair.key.range)
        continue
      }
      guard allowed.contains(key) else {
        diagnostics.error(
          .unknownKey, "unknown key '\(key)' in \(context)", at: pair.key.range,
          help: Suggestion.didYouMean(key, among: allowed) ?? "allowed keys: \(allowed.joined(separator: ", "))")
        continue
      }
      values[key] = pair.value
      keys[key] = pair.key
    }
    return Fields(node: node, context: context, values: values, keys: keys)
  }

  /// A mapping's values by key, remembering the mapping for "missing key" diagnostics.
  struct Fields {
    let node: YAMLNode
    let context: String
    let values: [String: YAMLNode]
    /// The key nodes, to point at a key that should not be there.
    let keys: [String: YAMLNode]

    subscript(key: String) -> YAMLNode? { values[key] }

    func keyRange(_ key: String) -> SourceRange { keys[key]?.range ?? node.range }
  }

  mutating func required(_ fields: Fields, _ key: String) -> YAMLNode? {
    if let value = fields[key] { return value }
    diagnostics.error(
      .missingKey, "missing required key '\(key)' in \(fields.context)",
      at: SourceRange(file: fields.node.range.file, at: fields.node.range.start))
    return nil
  }

  mutating func expectedKind(_ expected: String, for context: String, found node: YAMLNode) {
    diagnostics.error(
      .wrongNodeKind, "expected \(expected) for \(context), found \(node.kindDescription)", at: node.range)
  }

  // MARK: scalars

  mutating func string(_ node: YAMLNode?, _ context: String, allowEmpty: Bool = false) -> Located<String>? {
    guard let node else { return nil }
    guard let scalar = node.scalar, case .string(let text) = scalar.value else {
      // Plain numbers and booleans where a string is expected are almost always mistakes
      // (`version: 1.10` becomes 1.1); quoting says what was meant.
      expectedKind("a string", for: context, found: node)
      return nil
    }
    if !allowEmpty, text.trimmingCharacters(in: .whitespaces).isEmpty {
      diagnostics.error(.invalidValue, "\(context) must not be empty", at: node.range)
      return nil
    }
    return Located(text, at: node.range)
  }

  /// A name of a product, step or port: lowercase letters, digits and `_`, starting
  /// with a letter, so it is usable as an identifier in expressions and topic names.
  mutating func identifier(_ node: YAMLNode?, _ context: String) -> Located<String>? {
    guard let name = string(node, context) else { return nil }
    guard Self.isIdentifier(name.value) else {
      let suggestion = Self.identifierSuggestion(name.value)
      diagnostics.error(
        .invalidIdentifier, "invalid \(context) '\(name.value)': expected lowercase letters, digits and '_'",
        at: name.range, help: suggestion.map { "try '\($0)'" })
      return nil
    }
    return name
  }

  static func isIdentifier(_ text: String) -> Bool {
    guard let first = text.utf8.first, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z") else { return false }
    return text.utf8.allSatisfy {
      ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
        || $0 == UInt8(ascii: "_")
    }
  }

  static func identifierSuggestion(_ text: String) -> String? {
    var out = ""
    for character in text.lowercased() {
      if character.isASCII, character.isLetter || character.isNumber { out.append(character) } else { out.append("_") }
    }
    while out.hasPrefix("_") { out.removeFirst() }
    return isIdentifier(out) ? out : nil
  }

  mutating func choice<Choice: RawRepresentable & CaseIterable>(
    _ node: YAMLNode?, _ context: String, as _: Choice.Type
  ) -> Located<Choice>? where Choice.RawValue == String {
    guard let text = string(node, context) else { return nil }
    if let value = Choice(rawValue: text.value) { return Located(value, at: text.range) }
    let allowed = Choice.allCases.map(\.rawValue)
    diagnostics.error(
      .invalidChoice, "invalid \(context) '\(text.value)'", at: text.range,
      help: (Suggestion.didYouMean(text.value, among: allowed).map { $0 + " " } ?? "")
        + "expected one of: \(allowed.joined(separator: ", "))")
    return nil
  }

  mutating func bool(_ node: YAMLNode?, _ context: String) -> Located<Bool>? {
    guard let node else { return nil }
    guard case .bool(let value)? = node.scalar?.value else {
      expectedKind("true or false", for: context, found: node)
      return nil
    }
    return Located(value, at: node.range)
  }

  mutating func positiveInt(_ node: YAMLNode?, _ context: String) -> Located<Int>? {
    guard let node else { return nil }
    guard case .int(let value)? = node.scalar?.value else {
      expectedKind("an integer", for: context, found: node)
      return nil
    }
    guard value > 0, value <= 1_000_000 else {
      diagnostics.error(.invalidValue, "\(context) must be between 1 and 1000000, found \(value)", at: node.range)
      return nil
    }
    return Located(Int(value), at: node.range)
  }

  mutating func timeSpan(
    _ node: YAMLNode?, _ context: String, allowZero: Bool = false, orInfinite: Bool = false
  ) -> Located<TimeSpan>? {
    guard let node, let text = quantityText(node, context, help: TimeSpan.example) else { return nil }
    switch TimeSpan.parse(text) {
    case .failure(let problem):
      diagnostics.error(
        .invalidTimeSpan, "invalid \(context) '\(text)': \(problem.message)", at: node.range,
        help: orInfinite && problem.help == TimeSpan.example ? TimeSpan.example + ", or 'infinite'" : problem.help)
      return nil
    case .success(let span) where span.milliseconds == 0 && !allowZero:
      diagnostics.error(.invalidTimeSpan, "\(context) must be longer than zero", at: node.range)
      return nil
    case .success(let span):
      return Located(span, at: node.range)
    }
  }

  mutating func size(_ node: YAMLNode?, _ context: String) -> Located<ByteCount>? {
    guard let node, let text = quantityText(node, context, help: ByteCount.example) else { return nil }
    switch ByteCount.parse(text) {
    case .failure(let problem):
      diagnostics.error(
        .invalidSize, "invalid \(context) '\(text)': \(problem.message)", at: node.range, help: problem.help)
      return nil
    case .success(let size):
      return Located(size, at: node.range)
    }
  }

  /// The text of a scalar that holds a duration or a size; a mapping or list is reported.
  mutating func quantityText(_ node: YAMLNode, _ context: String, help: String) -> String? {
    guard let text = node.scalar?.text, node.mapping == nil, node.sequence == nil else {
      diagnostics.error(
        context.contains("retention") || context.contains("size") ? .invalidSize : .invalidTimeSpan,
        "invalid \(context): expected a scalar, found \(node.kindDescription)", at: node.range, help: help)
      return nil
    }
    return text
  }

  mutating func percentage(_ node: YAMLNode?, _ context: String) -> Located<Percentage>? {
    guard let node else { return nil }
    guard let text = node.scalar?.text, let value = Percentage.parse(text) else {
      diagnostics.error(
        .invalidPercentage, "invalid \(context) '\(node.scalar?.text ?? node.kindDescription)'", at: node.range,
        help: "write a percentage such as 99.9%")
      return nil
    }
    guard value.value >= 0, value.value <= 100 else {
      diagnostics.error(.invalidPercentage, "\(context) must be between 0% and 100%, found \(text)", at: node.range)
      return nil
    }
    return Located(value, at: node.range)
  }

  mutating func retention(_ node: YAMLNode?, _ context: String) -> Located<Retention<TimeSpan>>? {
    guard let node else { return nil }
    if node.scalar?.text == "infinite" { return Located(.infinite, at: node.range) }
    return timeSpan(node, context, orInfinite: true).map { Located(.limited($0.value), at: $0.range) }
  }

  mutating func sizeRetention(_ node: YAMLNode?, _ context: String) -> Located<Retention<ByteCount>>? {
    guard let node else { return nil }
    if node.scalar?.text == "infinite" { return Located(.infinite, at: node.range) }
    return size(node, context).map { Located(.limited($0.value), at: $0.range) }
  }

  /// A list of strings, where a single string also counts as a list of one.
  mutating func stringList(_ node: YAMLNode?, _ context: String, identifiers: Bool = false) -> [Located<String>] {
    guard let node else { return [] }
    let items = node.sequence ?? [node]
    if node.mapping != nil {
      expectedKind("a list of strings", for: context, found: node)
      return []
    }
    return items.compactMap { identifiers ? identifier($0, context) : string($0, context) }
  }

  /// The items of a sequence node.
  mutating func list(_ node: YAMLNode?, _ context: String) -> [YAMLNode] {
    guard let node else { return [] }
    guard let items = node.sequence else {
      expectedKind("a list", for: context, found: node)
      return []
    }
    return items
  }

  mutating func expression(_ node: YAMLNode?, _ context: String) -> ExpressionText? {
    guard let node else { return nil }
    guard let scalar = node.scalar, scalar.value != .null else {
      expectedKind("an expression", for: context, found: node)
      return nil
    }
    guard !scalar.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
      diagnostics.error(.invalidValue, "\(context) must not be empty", at: node.range)
      return nil
    }
    let locations = source.map { ScalarLocations.locate(scalar, range: node.range, in: $0) } ?? []
    return ExpressionText(scalar.text, at: node.range, locations: locations)
  }
}
