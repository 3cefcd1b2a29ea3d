import CYAML
public import MeshDiagnostics

/// Bounds that keep hostile input from exhausting memory or the stack.
public struct YAMLLimits: Sendable {
  /// Nodes created by expanding aliases, summed over a document ("billion laughs").
  public var maxAliasExpansionNodes: Int = 100_000
  /// Nesting depth of collections.
  public var maxDepth: Int = 512

  public init() {}
  public static let `default` = YAMLLimits()
}

public struct YAMLParseResult: Sendable {
  public var documents: [YAMLDocument]
  public var diagnostics: Diagnostics
}

/// Parses a YAML stream with libyaml's event parser into located node trees.
/// Never throws: every problem becomes a diagnostic. Parsing stops at the first syntax
/// error (libyaml cannot resume), keeping the documents completed before it.
public func parseYAML(_ file: SourceFile, limits: YAMLLimits = .default) -> YAMLParseResult {
  var builder = YAMLTreeBuilder(file: file, limits: limits)
  if let bad = UTF8Validation.firstInvalidByte(file.bytes) {
    let location = file.location(ofByteOffset: bad)
    builder.diagnostics.error(
      .yamlInvalidUTF8, "file is not valid UTF-8: byte 0x\(String(file.bytes[bad], radix: 16)) at byte offset \(bad)",
      at: SourceRange(file: file.path, at: location), help: "save the file as UTF-8")
    return YAMLParseResult(documents: [], diagnostics: builder.diagnostics)
  }
  file.bytes.withUnsafeBufferPointer { buffer in
    var parser = yaml_parser_t()
    guard yaml_parser_initialize(&parser) != 0 else { return }
    defer { yaml_parser_delete(&parser) }
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
    yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
    EventLoop(file: file).run(&parser, into: &builder)
  }
  return YAMLParseResult(documents: builder.documents, diagnostics: builder.diagnostics)
}

/// Feeds libyaml's events to the tree builder. The one place libyaml's 0-based marks
/// become 1-based `SourceLocation`s.
private struct EventLoop {
  let file: SourceFile

  func run(_ parser: inout yaml_parser_t, into builder: inout YAMLTreeBuilder) {
    while true {
      var event = yaml_event_t()
      guard yaml_parser_parse(&parser, &event) != 0 else {
        builder.diagnostics.append(syntaxError(parser))
        return
      }
      defer { yaml_event_delete(&event) }
      let start = location(event.start_mark)
      let end = location(event.end_mark)
      do {
        switch event.type {
        case YAML_STREAM_END_EVENT:
          return
        case YAML_DOCUMENT_START_EVENT:
          builder.startDocument(at: start)
        case YAML_DOCUMENT_END_EVENT:
          builder.endDocument(at: end)
        case YAML_SCALAR_EVENT:
          let scalar = event.data.scalar
          let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
          try builder.scalar(
            text: text, style: style(scalar.style), tag: string(scalar.tag), anchor: string(scalar.anchor),
            start: start, end: end)
        case YAML_ALIAS_EVENT:
          try builder.alias(string(event.data.alias.anchor) ?? "", start: start, end: end)
        case YAML_SEQUENCE_START_EVENT:
          let sequence = event.data.sequence_start
          try builder.startCollection(
            isMapping: false, tag: string(sequence.tag), anchor: string(sequence.anchor), start: start)
        case YAML_MAPPING_START_EVENT:
          let mapping = event.data.mapping_start
          try builder.startCollection(
            isMapping: true, tag: string(mapping.tag), anchor: string(mapping.anchor), start: start)
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
          try builder.endCollection(end: end)
        default:
          break
        }
      } catch {
        return
      }
    }
  }

  private func location(_ mark: yaml_mark_t) -> SourceLocation {
    SourceLocation(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
  }

  private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
    guard let pointer else { return nil }
    return String(cString: pointer)
  }

  private func style(_ style: yaml_scalar_style_t) -> ScalarStyle {
    switch style {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
    case YAML_LITERAL_SCALAR_STYLE: .literal
    case YAML_FOLDED_SCALAR_STYLE: .folded
    default: .plain
    }
  }

  /// libyaml's problem, in our style, at its problem mark; a tab gets its own code
  /// because "cannot start any token" says nothing useful about it.
  private func syntaxError(_ parser: yaml_parser_t) -> Diagnostic {
    let mark = location(parser.problem_mark)
    let range = SourceRange(file: file.path, at: mark)
    let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
    if isTab(at: mark) {
      return Diagnostic(
        .yamlTabIndentation, "tab character where YAML allows only spaces", at: range,
        help: "indent with spaces; YAML forbids tabs in indentation")
    }
    var message = problem
    if let context = parser.context.map({ String(cString: $0) }) {
      message = "\(context), \(problem)"
    }
    var notes: [Diagnostic.Note] = []
    if parser.context != nil {
      let contextMark = location(parser.context_mark)
      if contextMark != mark {
        notes.append(Diagnostic.Note("the construct started here", at: SourceRange(file: file.path, at: contextMark)))
      }
    }
    return Diagnostic(.yamlSyntax, "invalid YAML: \(message)", at: range, notes: notes)
  }

  private func isTab(at location: SourceLocation) -> Bool {
    guard let line = file.lineText(location.line) else { return false }
    let scalars = Array(line.unicodeScalars)
    let index = location.column - 1
    return index >= 0 && index < scalars.count && scalars[index] == "\t"
  }
}
